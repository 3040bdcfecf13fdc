import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cameraInputArgs } from '../../capture/video/camera-args.js';
import type { CameraSource } from '../../shared/config.js';
import { redactCredentials } from '../../shared/redact.js';
import { AbkError, appError } from '../../shared/result.js';

/**
 * One picture from a camera, as recording would open it (the same input
 * arguments), scaled to 640 px wide into `jpg`. A camera that does not answer
 * within `timeoutMs` is refused naming its address (without its password) and
 * what ffmpeg said.
 */
export function cameraSnapshot(ffmpeg: string, source: CameraSource, jpg: string, timeoutMs = 15_000): Promise<void> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...cameraInputArgs(source, { width: 640, height: 360, fps: 25 }),
    '-frames:v', '1', '-vf', 'scale=640:-2', '-q:v', '4', jpg];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => { tail.push(redactCredentials(l)); if (tail.length > 4) tail.shift(); });
    const timer = setTimeout(() => { tail.push(`no picture in ${timeoutMs / 1000} s`); child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(noAnswer(source, `${ffmpeg} could not be started: ${e.message}`)); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(noAnswer(source, tail.join(' | ') || `ffmpeg ended with code ${code}`));
    });
  });
}

function noAnswer(source: CameraSource, detail: string): AbkError {
  const where = source.kind === 'rtsp' ? redactCredentials(source.url) : source.kind === 'test' ? 'test pattern' : source.device;
  return new AbkError(appError('setup-camera-no-answer',
    `The camera at ${where} gave no picture: check its address, that it is powered and on the network, and its user and password.`,
    `Камера ${where} не дала изображения: проверьте адрес, питание и сеть камеры, имя пользователя и пароль.`,
    `${where} камерасы сурет бермеді: мекенжайын, қуатын және желісін, пайдаланушы аты мен құпиясөзін тексеріңіз.`, detail));
}
