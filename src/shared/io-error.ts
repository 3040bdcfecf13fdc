import { appError, type AppError } from './result.js';

/** A file-system error, said so that the secretary knows what happened to the recording and what to do. */
export function ioError(e: { code?: string | undefined; message: string }, path: string): AppError {
  switch (e.code) {
    case 'ENOSPC':
      return appError('disk-full', `The disk is full; recording to ${path} stopped. Free space or change the recordings folder; what was recorded is kept.`,
        `Диск заполнен; запись в ${path} остановлена. Освободите место или смените папку записей; записанное сохранено.`,
        `Диск толды; ${path} жазбасы тоқтады. Орын босатыңыз немесе жазбалар қалтасын өзгертіңіз; жазылғаны сақталды.`, e.message);
    case 'EACCES': case 'EPERM': case 'EROFS':
      return appError('folder-not-writable', `The recordings folder ${path} cannot be written. Choose a writable folder or fix its permissions.`,
        `В папку записей ${path} нельзя записать. Выберите доступную папку или исправьте права.`,
        `${path} жазбалар қалтасына жазу мүмкін емес. Қолжетімді қалтаны таңдаңыз немесе құқықтарды түзетіңіз.`, e.message);
    default:
      return appError('write-failed', `Writing ${path} failed (${e.code ?? e.message}). Check the disk.`,
        `Ошибка записи ${path} (${e.code ?? e.message}). Проверьте диск.`,
        `${path} жазу қатесі (${e.code ?? e.message}). Дискіні тексеріңіз.`, e.message);
  }
}

/** A diagnostic log that cannot be written: the recording it describes goes on (a full disk is reported by the disk monitor). */
export function logWriteFailed(e: { code?: string | undefined; message: string }, path: string): AppError {
  return appError('log-write-failed', `The log ${path} cannot be written (${e.code ?? e.message}); recording goes on without it. Check the disk.`,
    `Журнал ${path} не записывается (${e.code ?? e.message}); запись продолжается без него. Проверьте диск.`,
    `${path} журналы жазылмайды (${e.code ?? e.message}); жазба онсыз жалғасуда. Дискіні тексеріңіз.`, e.message);
}
