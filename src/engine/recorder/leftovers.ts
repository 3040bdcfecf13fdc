import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** How long a capture process that lost its engine may take to close its files by itself. */
const CAPTURE_CLOSE_MS = 15_000;
/** How long ffmpeg may take to finish its file after SIGINT. */
const FFMPEG_CLOSE_MS = 5000;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Whether `pid` is still the process that wrote the pid file (a pid can be
 * reused after a reboot): on Linux its command line or working folder names
 * the sitting's folder. Where /proc does not exist (Windows) the pid file's
 * word is taken.
 */
function belongsTo(pid: number, dir: string): boolean {
  if (!existsSync('/proc/self')) return true;
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) return true;
    return readlinkSync(`/proc/${pid}/cwd`) === dir;
  } catch {
    return false; // gone while we looked
  }
}

async function gone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/**
 * Stops what an engine that died left running for a sitting, so nothing writes
 * its files while they are repaired and finalized: a camera's ffmpeg is asked
 * to finish its file (SIGINT, as on Stop), a capture process is given time to
 * close its WAV files by itself (it does so when its engine goes away), and
 * either is killed if it does not. Returns the pids that had to be stopped.
 * `which` stops only the capture processes ('audio') or only the cameras ('video').
 */
export async function stopLeftovers(dir: string, which: 'audio' | 'video' | 'all' = 'all'): Promise<number[]> {
  if (!existsSync(dir)) return [];
  const stopped: number[] = [];
  const wanted = (f: string): boolean => f.endsWith('.pid') && (which === 'all' || (which === 'audio') === f.startsWith('audio-capture'));
  await Promise.all(readdirSync(dir).filter(wanted).map(async (f) => {
    const path = join(dir, f);
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid) && belongsTo(pid, dir)) {
      stopped.push(pid);
      const capture = f.startsWith('audio-capture');
      if (!capture) process.kill(pid, 'SIGINT');
      if (!(await gone(pid, capture ? CAPTURE_CLOSE_MS : FFMPEG_CLOSE_MS))) {
        process.kill(pid, 'SIGKILL');
        await gone(pid, 2000);
      }
    }
    rmSync(path, { force: true });
  }));
  return stopped;
}
