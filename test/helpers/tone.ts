import { writeFileSync } from 'node:fs';
import { wavFileHeader } from '../../src/capture/virtual-courtroom/test-signal.js';

/** A 24-bit, 48 kHz WAV of `channels` where the `loud` ones (1-based) carry a 1 kHz tone at −12 dBFS and the others exact zeros. */
export function toneWav(path: string, channels: number, seconds: number, loud: number[]): string {
  const frames = seconds * 48000;
  const pcm = Buffer.alloc(frames * channels * 3);
  for (let f = 0; f < frames; f++) {
    const v = Math.round(Math.sin((2 * Math.PI * 1000 * f) / 48000) * 0.25 * 0x7fffff);
    for (const c of loud) pcm.writeIntLE(v, (f * channels + c - 1) * 3, 3);
  }
  writeFileSync(path, Buffer.concat([wavFileHeader(channels, 48000, 24, pcm.length), pcm]));
  return path;
}
