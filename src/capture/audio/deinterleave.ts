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
    return this.bytesPerSample === 2 ? this.split16(data, frames) : this.split24(data, frames);
  }

  private split16(data: Buffer, frames: number): Buffer[] {
    return this.pick.map((ch, i) => {
      const out = Buffer.allocUnsafe(frames * 2);
      const lv = this.levels[i]!;
      let peak = lv.peak;
      let sum = 0;
      for (let f = 0, src = ch * 2, dst = 0; f < frames; f++, src += this.frameBytes, dst += 2) {
        const lo = data[src]!;
        const hi = data[src + 1]!;
        out[dst] = lo;
        out[dst + 1] = hi;
        const v = ((lo | (hi << 8)) << 16) >> 16;
        const a = Math.abs(v) / 32768;
        if (a > peak) peak = a;
        sum += a * a;
      }
      lv.peak = peak;
      lv.sumSquares += sum;
      lv.count += frames;
      return out;
    });
  }

  private split24(data: Buffer, frames: number): Buffer[] {
    return this.pick.map((ch, i) => {
      const out = Buffer.allocUnsafe(frames * 3);
      const lv = this.levels[i]!;
      let peak = lv.peak;
      let sum = 0;
      for (let f = 0, src = ch * 3, dst = 0; f < frames; f++, src += this.frameBytes, dst += 3) {
        const b0 = data[src]!;
        const b1 = data[src + 1]!;
        const b2 = data[src + 2]!;
        out[dst] = b0;
        out[dst + 1] = b1;
        out[dst + 2] = b2;
        const v = ((b0 | (b1 << 8) | (b2 << 16)) << 8) >> 8; // sign-extend 24 bits
        const a = Math.abs(v) / 8388608;
        if (a > peak) peak = a;
        sum += a * a;
      }
      lv.peak = peak;
      lv.sumSquares += sum;
      lv.count += frames;
      return out;
    });
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
