import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GRAIN, MARGIN, Stretcher } from '../../src/player/stretch.js';
import { readFrames, readWavInfo } from '../../src/player/wav-file.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-player-wav-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A BWF file made by ffmpeg (bext chunk before the data), and ffmpeg's own decoding of it to floats. */
function bwf(bits: 16 | 24, seconds: number): { blob: Blob; floats: Float32Array } {
  const wav = join(dir, `t${bits}.wav`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=997:d=${seconds}:sample_rate=48000`, '-af', 'volume=0.9', '-c:a', `pcm_s${bits}le`, '-write_bext', '1', wav]);
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', wav, '-f', 'f32le', '-c:a', 'pcm_f32le', '-'], { maxBuffer: 1 << 26 });
  return { blob: new Blob([readFileSync(wav)]), floats: new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4) };
}

describe('the portable player reads a microphone WAV through a File, a stretch at a time', () => {
  for (const bits of [16, 24] as const) {
    it(`${bits}-bit: the header found past the bext chunk, and any stretch equals ffmpeg's decoding sample for sample`, async () => {
      const { blob, floats } = bwf(bits, 3);
      const info = await readWavInfo(blob);
      expect(info).toMatchObject({ sampleRate: 48000, channels: 1, bits, frames: floats.length });
      expect(info.dataOffset).toBeGreaterThan(44); // the bext chunk comes first
      const from = 48000 + 123;
      const got = await readFrames(blob, info, from, 4800);
      expect(Array.from(got)).toEqual(Array.from(floats.subarray(from, from + 4800)));
      // past the end is silence, and the stretch before it is still the file's
      const tail = await readFrames(blob, info, floats.length - 10, 20);
      expect(Array.from(tail.subarray(0, 10))).toEqual(Array.from(floats.subarray(floats.length - 10)));
      expect(Array.from(tail.subarray(10))).toEqual(new Array(10).fill(0));
    });
  }

  it('refuses what is not a PCM WAV, naming why', async () => {
    await expect(readWavInfo(new Blob([Buffer.from('ID3 not a wav at all')]))).rejects.toThrow('not a WAV file');
  });
});

/** The tone's frequency from its upward zero crossings over the middle of the signal. */
function frequency(s: Float32Array, rate: number): number {
  const a = Math.floor(s.length * 0.2);
  const b = Math.floor(s.length * 0.8);
  let n = 0;
  let first = -1;
  let last = -1;
  for (let i = a + 1; i < b; i++) {
    if (s[i - 1]! < 0 && s[i]! >= 0) { n++; if (first < 0) first = i; last = i; }
  }
  return ((n - 1) * rate) / (last - first);
}

describe('speed with the pitch kept', () => {
  const rate = 48000;
  const seconds = 3;
  const tone = (f: number, gain: number): Float32Array => Float32Array.from({ length: rate * seconds + 2 * MARGIN }, (_, i) => gain * Math.sin((2 * Math.PI * f * (i - MARGIN)) / rate));
  /** Two microphones stretched a second at a time, as the player does, joined. */
  const run = (speed: number, tracks: Float32Array[]): Float32Array[] => {
    const st = new Stretcher(speed, tracks.length, 0);
    const outs: Float32Array[][] = [];
    for (let s = 0; s < seconds - 1; s++) outs.push(st.run({ start: -MARGIN, tracks }, (s + 1) * rate));
    return tracks.map((_, t) => {
      const parts = outs.map((o) => o[t]!);
      const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => { all.set(p, at); return at + p.length; }, 0);
      return all;
    });
  };
  for (const speed of [0.5, 1.5, 2]) {
    it(`${speed}×: ${seconds - 1} s of source last ${(seconds - 1) / speed} s, a 440 Hz tone stays 440 Hz (resampling would make it ${440 * speed} Hz), with no dip where one second's block meets the next`, () => {
      const [a, b] = run(speed, [tone(440, 0.5), tone(440, 0.2)]);
      expect(Math.abs(a!.length - ((seconds - 1) * rate) / speed)).toBeLessThan(GRAIN);
      expect(Math.abs(frequency(a!, rate) - 440)).toBeLessThan(440 * 0.005);
      // the two microphones took the same grains: still in one phase, at their own levels
      for (let i = GRAIN; i < a!.length; i += 997) expect(b![i]!).toBeCloseTo((a![i]! * 0.2) / 0.5, 5);
      const rms = (from: number): number => { let e = 0; for (let i = from; i < from + 480; i++) e += a![i]! ** 2; return Math.sqrt(e / 480); };
      const windows = Array.from({ length: Math.floor((a!.length - GRAIN) / 480) - 1 }, (_, k) => rms(GRAIN + k * 480));
      expect(Math.min(...windows)).toBeGreaterThan(0.5 / Math.SQRT2 * 0.8);
    });
  }
});
