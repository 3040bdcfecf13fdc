import { emptyStats, levelsOf, type BlockStats } from './block-stats.js';

/**
 * Splits interleaved PCM into one buffer per selected channel and gathers,
 * in the same pass, each channel's figures for the meters and the signal
 * guard: peak, mean square, mean, smallest and largest sample, clipped samples.
 *
 * It runs on every sample of every microphone, so it is written for speed:
 * one unrolled loop per sample width, integer arithmetic in the loop (scaled
 * to full scale once per call), and one output buffer per channel reused from
 * call to call. A returned buffer is therefore valid only until the next
 * `push`: the caller writes and hashes it at once (the capture process does).
 */
export class Deinterleaver {
  private readonly bytesPerSample: number;
  private readonly frameBytes: number;
  private carry: Buffer = Buffer.alloc(0);
  private levels: BlockStats[];
  private outs: Buffer[];

  /** `pick`: 0-based device channels to keep, in output order. */
  constructor(private readonly deviceChannels: number, bitDepth: 16 | 24, private readonly pick: readonly number[]) {
    this.bytesPerSample = bitDepth / 8;
    this.frameBytes = this.bytesPerSample * deviceChannels;
    for (const c of pick) if (c < 0 || c >= deviceChannels) throw new RangeError(`channel ${c + 1} is not on a ${deviceChannels}-channel stream`);
    this.levels = pick.map(emptyStats);
    this.outs = pick.map(() => Buffer.allocUnsafeSlow(0));
  }

  /** One buffer per picked channel holding whole frames (valid until the next push); a partial frame is carried over. */
  push(chunk: Buffer): Buffer[] {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const frames = Math.floor(data.length / this.frameBytes);
    const used = frames * this.frameBytes;
    this.carry = used < data.length ? Buffer.from(data.subarray(used)) : Buffer.alloc(0);
    const bytes = frames * this.bytesPerSample;
    return this.pick.map((ch, i) => {
      if (this.outs[i]!.length < bytes) this.outs[i] = Buffer.allocUnsafeSlow(bytes);
      const out = this.outs[i]!.subarray(0, bytes);
      if (this.bytesPerSample === 3) split24(data, frames, ch * 3, this.frameBytes, out, this.levels[i]!);
      else split16(data, frames, ch * 2, this.frameBytes, out, this.levels[i]!);
      return out;
    });
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

/** One 24-bit channel out of the frames: bytes copied as they are (little-endian), its figures added to `lv`. */
function split24(data: Buffer, frames: number, first: number, stride: number, out: Buffer, lv: BlockStats): void {
  const clip = 0x7fffff;
  let { min, max, clipped } = lv;
  let peak = 0;
  let squares = 0;
  let sum = 0;
  for (let f = 0, src = first, dst = 0; f < frames; f++, src += stride, dst += 3) {
    const b0 = data[src]!;
    const b1 = data[src + 1]!;
    const b2 = data[src + 2]!;
    out[dst] = b0;
    out[dst + 1] = b1;
    out[dst + 2] = b2;
    const x = ((b0 | (b1 << 8) | (b2 << 16)) << 8) >> 8;
    if (x < min) min = x;
    if (x > max) max = x;
    const abs = x < 0 ? -x : x;
    if (abs >= clip) clipped++;
    if (abs > peak) peak = abs;
    squares += x * x;
    sum += x;
  }
  addFigures(lv, frames, 0x7fffff + 1, { min, max, clipped, peak, squares, sum });
}

/** The same for 16-bit samples. */
function split16(data: Buffer, frames: number, first: number, stride: number, out: Buffer, lv: BlockStats): void {
  const clip = 0x7fff;
  let { min, max, clipped } = lv;
  let peak = 0;
  let squares = 0;
  let sum = 0;
  for (let f = 0, src = first, dst = 0; f < frames; f++, src += stride, dst += 2) {
    const b0 = data[src]!;
    const b1 = data[src + 1]!;
    out[dst] = b0;
    out[dst + 1] = b1;
    const x = ((b0 | (b1 << 8)) << 16) >> 16;
    if (x < min) min = x;
    if (x > max) max = x;
    const abs = x < 0 ? -x : x;
    if (abs >= clip) clipped++;
    if (abs > peak) peak = abs;
    squares += x * x;
    sum += x;
  }
  addFigures(lv, frames, 0x7fff + 1, { min, max, clipped, peak, squares, sum });
}

/** One loop's integer figures into a block's, scaled to full scale once. */
function addFigures(lv: BlockStats, frames: number, fullScale: number, f: { min: number; max: number; clipped: number; peak: number; squares: number; sum: number }): void {
  lv.min = f.min;
  lv.max = f.max;
  lv.clipped = f.clipped;
  lv.peak = Math.max(lv.peak, f.peak / fullScale);
  lv.sumSquares += f.squares / (fullScale * fullScale);
  lv.sum += f.sum / fullScale;
  lv.count += frames;
}
