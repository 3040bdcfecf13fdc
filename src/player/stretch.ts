/** The grain of the time-stretch: 2048 frames (43 ms at 48 kHz), laid at half-overlap. */
export const GRAIN = 2048;
const HOP = GRAIN / 2;
/** How far from its place a grain may be taken to continue the one before in phase: 10 ms at 48 kHz, half a period of an 50 Hz voice. */
const TOLERANCE = 512;
/** Source frames needed either side of a stretch of source to stretch it. */
export const MARGIN = 2 * GRAIN + TOLERANCE;
const HANN = Float32Array.from({ length: GRAIN }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / GRAIN));

/** Source frames of every microphone from `start` (a frame of the file), the same stretch for each. */
export interface SourceBlock { start: number; tracks: Float32Array[] }

/**
 * Every microphone played at another speed with the pitch kept (WSOLA):
 * grains of the original rate laid at half-overlap, each taken `speed` times
 * as far along the source as it is laid, moved by up to 10 ms to where it
 * best continues the grain before it. The move is found on the sum of the
 * microphones and applied to all of them, so they stay sample-locked. It
 * runs on across calls: no seam where one block of source ends.
 */
export class Stretcher {
  private nominal: number;
  private prevFrom = -1;
  private readonly overlap: Float32Array[];

  constructor(private readonly speed: number, tracks: number, from: number) {
    this.nominal = from;
    this.overlap = Array.from({ length: tracks }, () => new Float32Array(HOP));
  }

  /** The output for the source grains placed in [up to `until`); `block` must hold `MARGIN` frames either side. */
  run(block: SourceBlock, until: number): Float32Array[] {
    const grains: number[] = [];
    const at = (t: number, frame: number): number => block.tracks[t]![frame - block.start] ?? 0;
    const sum = new Float32Array(block.tracks[0]?.length ?? 0);
    for (const tr of block.tracks) for (let i = 0; i < sum.length; i++) sum[i]! += tr[i]!;
    const mix = (frame: number): number => sum[frame - block.start] ?? 0;
    while (this.nominal < until) {
      const nominal = Math.round(this.nominal);
      let from = nominal;
      if (this.prevFrom >= 0) {
        // where the grain before would go on: the best match to it, by the mix, on every 4th frame
        const target = this.prevFrom + HOP;
        let best = -Infinity;
        for (let d = -TOLERANCE; d <= TOLERANCE; d += 2) {
          let c = 0;
          for (let n = 0; n < HOP; n += 4) c += mix(nominal + d + n) * mix(target + n);
          if (c > best) { best = c; from = nominal + d; }
        }
      }
      grains.push(from);
      this.prevFrom = from;
      this.nominal += HOP * this.speed;
    }
    return block.tracks.map((_, t) => {
      const out = new Float32Array(grains.length * HOP);
      const ov = this.overlap[t]!;
      grains.forEach((from, g) => {
        for (let n = 0; n < HOP; n++) out[g * HOP + n] = ov[n]! + at(t, from + n) * HANN[n]!;
        for (let n = 0; n < HOP; n++) ov[n] = at(t, from + HOP + n) * HANN[HOP + n]!;
      });
      return out;
    });
  }
}
