import { emptyStats, levelsOf, type BlockStats } from './block-stats.js';

/**
 * Splits interleaved PCM into one buffer per selected channel and gathers,
 * in the same pass, each channel's figures for the meters and the signal
 * guard: peak, mean square, mean, smallest and largest sample, clipped samples.
 */

export class Deinterleaver {
  private readonly bytesPerSample: number;
  private readonly frameBytes: number;
  private carry: Buffer = Buffer.alloc(0);
  private levels: BlockStats[];

  /** `pick`: 0-based device channels to keep, in output order. */
  constructor(private readonly deviceChannels: number, bitDepth: 16 | 24, private readonly pick: readonly number[]) {
    this.bytesPerSample = bitDepth / 8;
    this.frameBytes = this.bytesPerSample * deviceChannels;
    for (const c of pick) if (c < 0 || c >= deviceChannels) throw new RangeError(`channel ${c + 1} is not on a ${deviceChannels}-channel stream`);
    this.levels = pick.map(emptyStats);
  }

  /** Returns one buffer per picked channel holding whole frames; a partial frame is carried over. */
  push(chunk: Buffer): Buffer[] {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const frames = Math.floor(data.length / this.frameBytes);
    const used = frames * this.frameBytes;
    this.carry = used < data.length ? Buffer.from(data.subarray(used)) : Buffer.alloc(0);
    return this.pick.map((ch, i) => this.split(data, frames, ch, this.levels[i]!));
  }

  /** One channel out of the interleaved frames, with its level: bytes copied as they are, little-endian. */
  private split(data: Buffer, frames: number, ch: number, lv: BlockStats): Buffer {
    const bps = this.bytesPerSample;
    const shift = 32 - 8 * bps; // sign-extends a 16- or 24-bit sample held in an int32
    const fullScale = 2 ** (8 * bps - 1);
    const out = Buffer.allocUnsafe(frames * bps);
    const clip = fullScale - 1;
    let { peak, min, max, clipped } = lv;
    let squares = 0;
    let sum = 0;
    for (let f = 0, src = ch * bps, dst = 0; f < frames; f++, src += this.frameBytes, dst += bps) {
      let raw = 0;
      for (let b = 0; b < bps; b++) {
        const byte = data[src + b]!;
        out[dst + b] = byte;
        raw |= byte << (8 * b);
      }
      const x = (raw << shift) >> shift;
      if (x < min) min = x;
      if (x > max) max = x;
      const abs = x < 0 ? -x : x;
      if (abs >= clip) clipped++;
      const a = abs / fullScale;
      if (a > peak) peak = a;
      squares += a * a;
      sum += x;
    }
    lv.peak = peak;
    lv.min = min;
    lv.max = max;
    lv.clipped = clipped;
    lv.sumSquares += squares;
    lv.sum += sum / fullScale;
    lv.count += frames;
    return out;
  }

  /** Each channel's figures since the last call, then reset. */
  takeStats(): BlockStats[] {
    const out = this.levels;
    this.levels = this.pick.map(emptyStats);
    return out;
  }

  /** Peak and RMS in dBFS since the last call, then reset. */
  takeLevels(): { peakDb: number; rmsDb: number }[] {
    return this.takeStats().map(levelsOf);
  }
}
