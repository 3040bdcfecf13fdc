import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SEAT_ROLES, type SeatRole } from '../../shared/seats.js';
import { findDataChunk } from '../audio/wav-header.js';
import { wavFileHeader } from './test-signal.js';

const run = promisify(execFile);
const RATE = 48000;

/** Reads the 16-bit mono samples of a plain WAV written by sox. */
function pcm16Mono(path: string): Int16Array {
  const buf = readFileSync(path);
  const off = findDataChunk(buf);
  if (off < 0) throw new Error(`no data chunk in ${path}`);
  const data = buf.subarray(off + 8, off + 8 + buf.readUInt32LE(off + 4));
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
}

async function speak(text: string, voice: string, dir: string, name: string): Promise<Int16Array> {
  const raw = join(dir, `${name}.raw.wav`);
  const out = join(dir, `${name}.wav`);
  await run('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, text]);
  await run('sox', [raw, '-r', String(RATE), '-b', '16', '-c', '1', out]);
  return pcm16Mono(out);
}

/**
 * A multichannel WAV in which each seat's microphone hears its own voice in
 * turn ("Микрофон 3. Прокурор."), the judge in Kazakh, so a listener can tell
 * the tracks apart. The other channels stay silent while one speaks, as in a
 * courtroom where microphones are close to their speaker; every channel
 * carries a faint noise (about -84 dBFS), as a real microphone and its
 * preamplifier do, so a live microphone is never digital silence.
 */
export async function writeVoicesWav(path: string, seats: SeatRole[], seconds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'abk-voices-'));
  try {
    const clips = await Promise.all(seats.map((seat, i) => {
      const kazakh = seat === 'judge';
      const label = SEAT_ROLES[seat][kazakh ? 'kk' : 'ru'];
      const text = kazakh ? `Микрофон ${i + 1}. ${label}. Сот отырысы ашық.` : `Микрофон ${i + 1}. ${label}.`;
      return speak(text, kazakh ? 'kk' : 'ru', dir, `seat${i}`);
    }));
    const frames = Math.round(seconds * RATE);
    const ch = seats.length;
    const pcm = Buffer.alloc(frames * ch * 2);
    // the noise first (a fixed pseudo-random sequence, so the file is the same each time), the voices added to it
    let seed = 12345;
    for (let i = 0; i < frames * ch; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      pcm.writeInt16LE((seed >>> 16) % 7 - 3, i * 2);
    }
    for (let start = 0, k = 0; start < frames; k++) {
      const c = k % ch;
      const clip = clips[c]!;
      for (let n = 0; n < clip.length && start + n < frames; n++) {
        const at = ((start + n) * ch + c) * 2;
        pcm.writeInt16LE(Math.max(-32768, Math.min(32767, clip[n]! + pcm.readInt16LE(at))), at);
      }
      start += clip.length + RATE / 4;
    }
    writeFileSync(path, Buffer.concat([wavFileHeader(ch, RATE, 16, pcm.length), pcm]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
