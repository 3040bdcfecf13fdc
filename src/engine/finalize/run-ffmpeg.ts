import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AbkError, appError } from '../../shared/result.js';

/**
 * Runs one ffmpeg command to its end (arguments as an array, never a shell
 * string), reporting progress from `-progress` in media milliseconds, and
 * fails with the last lines ffmpeg printed.
 */
export function runFfmpeg(ffmpeg: string, args: string[], onProgressMs?: (ms: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-progress', 'pipe:1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => { tail.push(l); if (tail.length > 8) tail.shift(); });
    createInterface({ input: child.stdout }).on('line', (l) => {
      const m = /^out_time_us=(\d+)/.exec(l);
      if (m && onProgressMs) onProgressMs(Number(m[1]) / 1000);
    });
    child.on('error', (e) => reject(failed(`${ffmpeg} could not be started: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(failed(`ffmpeg ended with ${signal ?? `code ${code}`}: ${tail.join(' | ')}`));
    });
  });
}

function failed(detail: string): AbkError {
  return new AbkError(appError('finalize-ffmpeg-failed',
    'Making the sitting\'s files failed in ffmpeg. The recording is safe in the working folder; check the disk and ffmpeg, then run finalize again.',
    'Сборка файлов заседания не удалась (ffmpeg). Запись сохранена в рабочей папке; проверьте диск и ffmpeg и запустите завершение снова.',
    'Отырыс файлдарын жинау сәтсіз аяқталды (ffmpeg). Жазба жұмыс қалтасында сақтаулы; дискіні және ffmpeg тексеріп, аяқтауды қайта іске қосыңыз.', detail));
}
