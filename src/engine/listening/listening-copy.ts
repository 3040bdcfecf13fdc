import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AbkError, appError } from '../../shared/result.js';
import { micInput } from '../finalize/media-steps.js';

/** Waveform resolution: one peak per 20 ms (720 000 bytes for four hours). */
export const PEAKS_PER_SECOND = 50;
const PEAK_RATE = 8000;
const SAMPLES_PER_PEAK = PEAK_RATE / PEAKS_PER_SECOND;

export const listeningDir = (root: string, base: string): string => join(root, '.player', base);
export const listeningFiles = (dir: string): { webm: string; peaks: string } => ({ webm: join(dir, 'listen.webm'), peaks: join(dir, 'peaks.bin') });

/**
 * The judge's listening copy of a sitting: every microphone as its own channel
 * of one Opus stream (channel mapping 255, so channel N is microphone N, up to
 * 255), in WebM with its cues up front, so the browser streams it, seeks at
 * once and plays each microphone alone through Web Audio gains, all in step.
 * The waveform's peaks come out of the same pass. The archive files are not
 * touched; this copy lives beside them and can be made again at any time.
 */
export async function makeListeningCopy(opts: { ffmpeg: string; wavs: string[][]; dir: string; durationMs: number; onProgress?: (fraction: number) => void }): Promise<void> {
  const { webm, peaks } = listeningFiles(opts.dir);
  mkdirSync(opts.dir, { recursive: true });
  const n = opts.wavs.length;
  const inputs = opts.wavs.flatMap((parts, i) => micInput(parts, opts.dir, i));
  const merged = n === 1 ? '[0:a]anull' : `${opts.wavs.map((_, i) => `[${i}:a]`).join('')}amerge=inputs=${n}`;
  const sum = Array.from({ length: n }, (_, i) => `c${i}`).join('+');
  const graph = `${merged},asplit=2[listen][w];[w]pan=mono|c0=${sum},aresample=${PEAK_RATE}[peaks]`;
  const partial = `${webm}.part`;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-progress', 'pipe:2', ...inputs, '-filter_complex', graph,
    '-map', '[listen]', '-c:a', 'libopus', '-mapping_family', '255', '-b:a', `${Math.min(n * 48, 1024)}k`, '-f', 'webm', '-cues_to_front', '1', partial,
    '-map', '[peaks]', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'];
  const out: number[] = [];
  let peak = 0;
  let count = 0;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(opts.ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let carry: Buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const whole = buf.length & ~1;
      // copied once into an aligned array: four hours are 115 million samples
      const samples = new Int16Array(Uint8Array.prototype.slice.call(buf, 0, whole).buffer);
      for (const s of samples) {
        const v = s < 0 ? -s : s;
        if (v > peak) peak = v;
        if (++count === SAMPLES_PER_PEAK) { out.push(Math.min(255, Math.round(Math.sqrt(peak / 32768) * 255))); peak = 0; count = 0; }
      }
      carry = buf.subarray(whole);
    });
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => {
      const m = /^out_time_us=(\d+)/.exec(l);
      if (m) opts.onProgress?.(Math.min(1, Number(m[1]) / 1000 / Math.max(1, opts.durationMs)));
      else if (!/^[a-z_]+=/.test(l)) { tail.push(l); if (tail.length > 6) tail.shift(); }
    });
    child.on('error', (e) => reject(failed(e.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(failed(`ffmpeg exited with ${code}: ${tail.join(' | ')}`))));
  }).catch((e: unknown) => { rmSync(partial, { force: true }); throw e; });
  if (count > 0) out.push(Math.min(255, Math.round(Math.sqrt(peak / 32768) * 255)));
  // the waveform is a square-root scale, so quiet speech still shows
  writeFileSync(peaks, Uint8Array.from(out));
  renameSync(partial, webm);
}

export const listeningCopyReady = (dir: string): boolean => existsSync(listeningFiles(dir).webm) && existsSync(listeningFiles(dir).peaks);

function failed(detail: string): AbkError {
  return new AbkError(appError('listening-copy-failed', 'The listening copy for the player could not be made; the sitting\'s files are not affected. Check ffmpeg and the disk, then open the player again.',
    'Не удалось подготовить копию для прослушивания; файлы заседания не затронуты. Проверьте ffmpeg и диск и откройте проигрыватель снова.',
    'Тыңдауға арналған көшірме жасалмады; отырыс файлдарына әсер жоқ. ffmpeg пен дискіні тексеріп, ойнатқышты қайта ашыңыз.', detail));
}
