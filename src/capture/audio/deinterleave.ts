/**
 * Splits interleaved PCM into one buffer per selected channel and measures
 * peak and mean square per channel in the same pass.
 */
export interface ChannelLevels {
  peak: number; // 0..1 of full scale
  sumSquares: number; // of samples in 0..1 full scale
  count: number;
}

export class Deinterleaver {
  private readonly bytesPerSample: number;
  private readonly frameBytes: number;
  private carry: Buffer = Buffer.alloc(0);
  readonly levels: ChannelLevels[];

  /** `pick`: 0-based device channels to keep, in output order. */
  constructor(private readonly deviceChannels: number, bitDepth: 16 | 24, private readonly pick: readonly number[]) {
    this.bytesPerSample = bitDepth / 8;
    this.frameBytes = this.bytesPerSample * deviceChannels;
    for (const c of pick) if (c < 0 || c >= deviceChannels) throw new RangeError(`channel ${c + 1} is not on a ${deviceChannels}-channel stream`);
    this.levels = pick.map(() => ({ peak: 0, sumSquares: 0, count: 0 }));
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
  private split(data: Buffer, frames: number, ch: number, lv: ChannelLevels): Buffer {
    const bps = this.bytesPerSample;
    const shift = 32 - 8 * bps; // sign-extends a 16- or 24-bit sample held in an int32
    const fullScale = 2 ** (8 * bps - 1);
    const out = Buffer.allocUnsafe(frames * bps);
    let peak = lv.peak;
    let sum = 0;
    for (let f = 0, src = ch * bps, dst = 0; f < frames; f++, src += this.frameBytes, dst += bps) {
      let raw = 0;
      for (let b = 0; b < bps; b++) {
        const byte = data[src + b]!;
        out[dst + b] = byte;
        raw |= byte << (8 * b);
      }
      const a = Math.abs((raw << shift) >> shift) / fullScale;
      if (a > peak) peak = a;
      sum += a * a;
    }
    lv.peak = peak;
    lv.sumSquares += sum;
    lv.count += frames;
    return out;
  }

  /** Peak and RMS in dBFS since the last call, then reset. */
  takeLevels(): { peakDb: number; rmsDb: number }[] {
    return this.levels.map((lv) => {
      const rms = lv.count > 0 ? Math.sqrt(lv.sumSquares / lv.count) : 0;
      const out = { peakDb: toDb(lv.peak), rmsDb: toDb(rms) };
      lv.peak = 0;
      lv.sumSquares = 0;
      lv.count = 0;
      return out;
    });
  }
}

const toDb = (x: number): number => (x <= 1e-6 ? -120 : Math.round(20 * Math.log10(x) * 10) / 10);
