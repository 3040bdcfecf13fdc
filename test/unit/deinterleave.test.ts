import { describe, expect, it } from 'vitest';
import { Deinterleaver } from '../../src/capture/audio/deinterleave.js';
import { counterPcm, counterSample } from '../../src/capture/virtual-courtroom/test-signal.js';

describe('Deinterleaver', () => {
  it.each([16, 24] as const)('splits %i-bit frames into the picked channels, across chunk boundaries that cut frames', (bitDepth) => {
    const channels = 6;
    const pcm = counterPcm(channels, 1000, bitDepth);
    const d = new Deinterleaver(channels, bitDepth, [4, 0, 5]);
    const bps = bitDepth / 8;
    const out: Buffer[][] = [[], [], []];
    for (let off = 0; off < pcm.length; off += 1001) d.push(pcm.subarray(off, off + 1001)).forEach((b, i) => out[i]!.push(Buffer.from(b))); // a returned buffer is reused by the next push
    const tracks = out.map((parts) => Buffer.concat(parts));
    [4, 0, 5].forEach((ch, i) => {
      expect(tracks[i]!.length).toBe(1000 * bps);
      for (let n = 0; n < 1000; n++) expect(tracks[i]!.readIntLE(n * bps, bps)).toBe(counterSample(n, ch, bitDepth));
    });
  });

  it('measures peak and RMS per channel in dBFS and resets', () => {
    const d = new Deinterleaver(2, 16, [0, 1]);
    const buf = Buffer.alloc(4 * 100);
    for (let i = 0; i < 100; i++) { buf.writeInt16LE(i % 2 ? 16384 : -16384, i * 4); buf.writeInt16LE(0, i * 4 + 2); }
    d.push(buf);
    const [a, b] = d.takeLevels();
    expect(a).toEqual({ peakDb: -6, rmsDb: -6 });
    expect(b).toEqual({ peakDb: -120, rmsDb: -120 });
    expect(d.takeLevels()[0]).toEqual({ peakDb: -120, rmsDb: -120 });
  });

  it.each([16, 24] as const)('gathers each %i-bit channel\'s figures as the samples read one by one give them, across pushes', (bitDepth) => {
    const bps = bitDepth / 8;
    const full = 2 ** (bitDepth - 1);
    const channels = 3;
    const frames = 5000;
    const pcm = Buffer.alloc(frames * channels * bps);
    let seed = 7;
    for (let f = 0; f < frames; f++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = Math.round(((seed >>> 8) / 2 ** 24 - 0.5) * full * 0.5);
      pcm.writeIntLE(Math.max(-full, Math.min(full - 1, noise + 100)), (f * channels) * bps, bps); // noise with an offset
      pcm.writeIntLE(f === 10 ? -full : f === 20 ? full - 1 : 0, (f * channels + 1) * bps, bps); // silence with one clip each way
      pcm.writeIntLE(-1000 - (f % 7), (f * channels + 2) * bps, bps); // a small negative ramp
    }
    const d = new Deinterleaver(channels, bitDepth, [0, 1, 2]);
    const copies: Buffer[][] = [[], [], []];
    for (let off = 0; off < pcm.length; off += 4097) d.push(pcm.subarray(off, off + 4097)).forEach((b, i) => copies[i]!.push(Buffer.from(b)));
    const stats = d.takeStats();
    for (let ch = 0; ch < channels; ch++) {
      const xs = Array.from({ length: frames }, (_, f) => pcm.readIntLE((f * channels + ch) * bps, bps));
      expect(Buffer.concat(copies[ch]!).equals(Buffer.from(xs.flatMap((x) => { const b = Buffer.alloc(bps); b.writeIntLE(x, 0, bps); return [...b]; })))).toBe(true);
      const s = stats[ch]!;
      expect(s.count).toBe(frames);
      expect(s.min).toBe(Math.min(...xs));
      expect(s.max).toBe(Math.max(...xs));
      expect(s.clipped).toBe(xs.filter((x) => Math.abs(x) >= full - 1).length);
      expect(s.peak).toBeCloseTo(Math.max(...xs.map(Math.abs)) / full, 12);
      expect(s.sum).toBeCloseTo(xs.reduce((a, x) => a + x / full, 0), 9);
      expect(s.sumSquares).toBeCloseTo(xs.reduce((a, x) => a + (x / full) ** 2, 0), 9);
    }
    expect(stats[1]!.clipped).toBe(2);
  });

  it('refuses a channel the stream does not have', () => {
    expect(() => new Deinterleaver(4, 16, [4])).toThrow(/channel 5 is not on a 4-channel stream/);
  });
});
