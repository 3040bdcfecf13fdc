import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Where ffmpeg comes from: the configured path, else the ffmpeg-static
 * package if it installed (it is optional: its installer downloads a binary),
 * else `ffmpeg` on PATH.
 */
export interface FfmpegTools { ffmpeg: string; ffprobe: string; source: 'config' | 'ffmpeg-static' | 'path' }

export function locateFfmpeg(configured?: { ffmpegPath?: string | undefined; ffprobePath?: string | undefined }): FfmpegTools {
  const probeBeside = (ff: string): string => {
    const beside = join(dirname(ff), process.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe');
    return configured?.ffprobePath ?? (existsSync(beside) ? beside : 'ffprobe');
  };
  if (configured?.ffmpegPath) {
    if (!existsSync(configured.ffmpegPath)) throw new Error(`ffmpegPath ${configured.ffmpegPath} does not exist: correct it in the configuration`);
    return { ffmpeg: configured.ffmpegPath, ffprobe: probeBeside(configured.ffmpegPath), source: 'config' };
  }
  try {
    const fromPackage = createRequire(import.meta.url)('ffmpeg-static') as string | null;
    if (fromPackage && existsSync(fromPackage)) return { ffmpeg: fromPackage, ffprobe: probeBeside(fromPackage), source: 'ffmpeg-static' };
  } catch {
    // not installed: fall through to PATH
  }
  return { ffmpeg: 'ffmpeg', ffprobe: configured?.ffprobePath ?? 'ffprobe', source: 'path' };
}

const encoderCache = new Map<string, Set<string>>();

/** The video encoders this ffmpeg build has (libx264 is absent from some builds). */
export function ffmpegEncoders(ffmpeg: string): Set<string> {
  let found = encoderCache.get(ffmpeg);
  if (!found) {
    let out: string;
    try {
      out = execFileSync(ffmpeg, ['-hide_banner', '-encoders'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      throw new Error(`ffmpeg could not be run (${ffmpeg}): ${(e as Error).message}. Install ffmpeg or set ffmpegPath in the configuration.`);
    }
    found = new Set(out.split('\n').map((l) => l.trim().split(/\s+/)[1] ?? '').filter(Boolean));
    encoderCache.set(ffmpeg, found);
  }
  return found;
}
