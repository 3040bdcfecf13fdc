import type { MarkKind } from './sitting.js';

export type ProtocolLanguage = 'kk' | 'ru';
type Labels<K extends string> = Record<K, Record<ProtocolLanguage, string>>;

/** What each kind of mark says in the short protocol. */
export const MARK_KIND_LABELS: Labels<MarkKind> = {
  floor: { kk: 'Сөз берілді', ru: 'Предоставлено слово' },
  break: { kk: 'Үзіліс жарияланды', ru: 'Объявлен перерыв' },
  resume: { kk: 'Отырыс жалғасты', ru: 'Заседание продолжено' },
  deliberation: { kk: 'Сот кеңесу бөлмесіне кетті', ru: 'Суд удалился в совещательную комнату' },
  return: { kk: 'Сот кеңесу бөлмесінен оралды', ru: 'Суд вернулся из совещательной комнаты' },
  decision: { kk: 'Сот актісі жарияланды', ru: 'Оглашён судебный акт' },
  evidence: { kk: 'Дәлелдеме зерттелді', ru: 'Исследовано доказательство' },
  note: { kk: 'Ескертпе', ru: 'Примечание' },
};

export const ATTENDANCE_LABELS: Labels<'present' | 'absent' | 'remote'> = {
  present: { kk: 'келді', ru: 'явился' },
  absent: { kk: 'келмеді', ru: 'не явился' },
  remote: { kk: 'бейнебайланыс арқылы', ru: 'по видеосвязи' },
};

export const PROTOCOL_TEXT: Labels<'languageName' | 'complete' | 'incomplete' | 'paused' | 'gap' | 'program-stopped' | 'power-lost' | 'segment-removed' | 'corrected' | 'mix' | 'video' | 'audioVideo' | 'microphone'> = {
  languageName: { kk: 'қазақ тілі', ru: 'русский язык' },
  complete: { kk: 'Аудио- және бейнежазба үздіксіз жүргізілді, жазбада үзілістер жоқ.', ru: 'Аудио- и видеозапись велась непрерывно, разрывов записи нет.' },
  incomplete: { kk: 'Жазбада үзілістер бар (төменде көрсетілген); қалған уақытта жазба үздіксіз жүргізілді.', ru: 'В записи есть разрывы (указаны ниже); в остальное время запись велась непрерывно.' },
  paused: { kk: 'Жазба тоқтатылды (үзіліс)', ru: 'Запись приостановлена (перерыв)' },
  gap: { kk: 'дыбыс жазылмады', ru: 'звук не записан' },
  'program-stopped': { kk: 'бағдарлама тоқтап қалды, жазба сол отырыста жалғастырылды', ru: 'программа остановилась, запись продолжена в том же заседании' },
  'power-lost': { kk: 'электр қуаты өшті, жазба сол отырыста жалғастырылды', ru: 'пропало электропитание, запись продолжена в том же заседании' },
  'segment-removed': { kk: 'жазылған сегмент аяқтауға дейін жұмыс қалтасынан жойылды (тізбек оны атайды)', ru: 'записанный сегмент удалён из рабочей папки до завершения (цепочка его называет)' },
  corrected: { kk: 'түзетілді', ru: 'исправлено' },
  mix: { kk: 'барлық микрофондардың жиынтық дыбысы', ru: 'сведённый звук всех микрофонов' },
  video: { kk: 'бейне', ru: 'видео' },
  audioVideo: { kk: 'аудио-бейне', ru: 'аудио-видео' },
  microphone: { kk: 'микрофон', ru: 'микрофон' },
};
