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
    for (let off = 0; off < pcm.length; off += 1001) d.push(pcm.subarray(off, off + 1001)).forEach((b, i) => out[i]!.push(b));
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

  it('refuses a channel the stream does not have', () => {
    expect(() => new Deinterleaver(4, 16, [4])).toThrow(/channel 5 is not on a 4-channel stream/);
  });
});
