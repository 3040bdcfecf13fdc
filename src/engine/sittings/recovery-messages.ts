import { appError, type AppError } from '../../shared/result.js';
import { almatyTime } from '../../shared/timeline.js';
import type { Interrupted } from './recovery.js';

const span = (ms: number): { en: string; ru: string; kk: string } => {
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return m > 0 ? { en: `${m} min ${s} s`, ru: `${m} мин ${s} с`, kk: `${m} мин ${s} с` } : { en: `${s} s`, ru: `${s} с`, kk: `${s} с` };
};

const CAUSE = {
  'program-stopped': { en: 'the program stopped', ru: 'программа остановилась', kk: 'бағдарлама тоқтап қалды' },
  'power-lost': { en: 'the power went off (or the PC was restarted)', ru: 'пропало питание (или компьютер перезапущен)', kk: 'қуат өшті (немесе компьютер қайта іске қосылды)' },
} as const;

/**
 * What the secretary is told when the engine finds a sitting it did not
 * finish: which sitting, when and why it stopped, what was kept, and what
 * happens now (it goes on recording, or its files are made and it can be continued).
 */
export function interruptedNotice(r: Interrupted, continuedAtWallMs?: number): AppError {
  const c = r.row.fields.caseNumber;
  const at = almatyTime(r.lastWrittenWallMs);
  const why = CAUSE[r.cause];
  const kept = span(r.recordedMs);
  if (continuedAtWallMs !== undefined) {
    const to = almatyTime(continuedAtWallMs);
    return appError('sitting-continued',
      `Sitting ${c} stopped recording at ${at}: ${why.en}. The ${kept.en} recorded before are kept, and recording continues in the same sitting; the gap ${at}–${to} is stated in the protocol.`,
      `Запись заседания ${c} прервалась в ${at}: ${why.ru}. Записанные до этого ${kept.ru} сохранены, запись продолжается в том же заседании; разрыв ${at}–${to} указан в протоколе.`,
      `${c} отырысының жазбасы ${at} уақытта үзілді: ${why.kk}. Оған дейін жазылған ${kept.kk} сақталды, жазба сол отырыста жалғасуда; ${at}–${to} үзілісі хаттамада көрсетілген.`);
  }
  return appError('sitting-interrupted',
    `Sitting ${c} stopped recording at ${at}: ${why.en}. The ${kept.en} recorded are kept and its files are being made now. To go on recording it, open the sitting and press "Continue": the gap will be stated in the protocol.`,
    `Запись заседания ${c} прервалась в ${at}: ${why.ru}. Записанные ${kept.ru} сохранены, файлы заседания сейчас формируются. Чтобы продолжить запись, откройте заседание и нажмите «Продолжить»: разрыв будет указан в протоколе.`,
    `${c} отырысының жазбасы ${at} уақытта үзілді: ${why.kk}. Жазылған ${kept.kk} сақталды, отырыс файлдары қазір жасалуда. Жазуды жалғастыру үшін отырысты ашып, «Жалғастыру» батырмасын басыңыз: үзіліс хаттамада көрсетіледі.`);
}
