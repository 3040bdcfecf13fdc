import { accessSync, constants, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { appError, type AppError } from '../../shared/result.js';

export interface FolderCheck { path: string; freeBytes: number; bytesPerHour: number; hoursFree: number }

/** Bytes an hour of recording takes: every microphone's WAV (the live mix and video come on top, and are small beside 8 tracks). */
export const audioBytesPerHour = (tracks: number, sampleRate: number, bitDepth: 16 | 24): number => tracks * sampleRate * (bitDepth / 8) * 3600;

/**
 * Whether the recordings can go into this folder: an absolute path, made if
 * missing, and a file really written and removed there (permissions, a
 * read-only disk and a full one all show at the first write). Says its free
 * space in hours of recording at the chosen format, or why not, naming the fix.
 */
export function checkRecordingsFolder(path: string, perHour: number): { ok: true; value: FolderCheck } | { ok: false; error: AppError } {
  if (!isAbsolute(path)) {
    return { ok: false, error: appError('setup-folder-relative', `"${path}" is not a full path: give the folder from the drive's root (e.g. /srv/abk or D:\\ABK).`,
      `«${path}» — не полный путь: укажите папку от корня диска (например, /srv/abk или D:\\ABK).`,
      `«${path}» толық жол емес: қалтаны дискінің түбірінен көрсетіңіз (мысалы, /srv/abk не D:\\ABK).`) };
  }
  const probe = join(path, `.abk-write-test-${process.pid}`);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.W_OK);
    writeFileSync(probe, Buffer.alloc(4096));
    rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    removeProbe(probe);
    return { ok: false, error: appError('setup-folder-not-writable', `Recordings cannot be written to "${path}" (${code}): choose another folder, or give this PC's recording account write access to it.`,
      `В папку «${path}» нельзя записывать (${code}): выберите другую папку или дайте учётной записи записи право записи в неё.`,
      `«${path}» қалтасына жазу мүмкін емес (${code}): басқа қалтаны таңдаңыз немесе жазу есептік жазбасына оған жазу құқығын беріңіз.`, code) };
  }
  const s = statfsSync(path);
  const freeBytes = s.bavail * s.bsize;
  return { ok: true, value: { path, freeBytes, bytesPerHour: perHour, hoursFree: Math.floor((freeBytes / perHour) * 10) / 10 } };
}

/** The probe file is gone, or was never made (a folder that is not one cannot hold it): nothing else can be wrong here. */
function removeProbe(probe: string): void {
  try {
    rmSync(probe, { force: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
  }
}
