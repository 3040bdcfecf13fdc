/**
 * A microphone's WAV (BWF) read through a picked `File`, never whole: its
 * header parsed from the first bytes, then any stretch of samples sliced
 * out as it is to be heard. Four hours of one microphone is 2.8 GB as float;
 * a stretch of a few seconds is what is ever in memory.
 */
export interface WavInfo { sampleRate: number; channels: number; bits: number; dataOffset: number; dataBytes: number; frames: number }

const HEAD_BYTES = 1 << 20;

export async function readWavInfo(file: Blob): Promise<WavInfo> {
  const head = new DataView(await file.slice(0, Math.min(file.size, HEAD_BYTES)).arrayBuffer());
  const tag = (at: number): string => String.fromCharCode(head.getUint8(at), head.getUint8(at + 1), head.getUint8(at + 2), head.getUint8(at + 3));
  if (head.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file (no RIFF/WAVE header)');
  let fmt: { channels: number; sampleRate: number; bits: number; format: number } | undefined;
  for (let at = 12; at + 8 <= head.byteLength;) {
    const id = tag(at);
    const size = head.getUint32(at + 4, true);
    if (id === 'fmt ') {
      fmt = { format: head.getUint16(at + 8, true), channels: head.getUint16(at + 10, true), sampleRate: head.getUint32(at + 12, true), bits: head.getUint16(at + 22, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('the WAV file has its data before its format');
      if (fmt.format !== 1 && fmt.format !== 0xfffe) throw new Error(`the WAV file is not PCM (format ${fmt.format})`);
      if (fmt.bits !== 16 && fmt.bits !== 24) throw new Error(`the WAV file has ${fmt.bits}-bit samples (16 or 24 are played)`);
      const dataOffset = at + 8;
      // a file cut short (a copy that failed) plays as far as it goes
      const dataBytes = Math.min(size, file.size - dataOffset);
      const frameBytes = (fmt.bits / 8) * fmt.channels;
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, bits: fmt.bits, dataOffset, dataBytes, frames: Math.floor(dataBytes / frameBytes) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('the WAV file has no data chunk in its first megabyte');
}

/** `count` frames from `from` of the first channel, as floats in −1…1 (frames past the end are silence). */
export async function readFrames(file: Blob, w: WavInfo, from: number, count: number): Promise<Float32Array> {
  const out = new Float32Array(count);
  const start = Math.max(0, Math.min(from, w.frames));
  const n = Math.max(0, Math.min(count - (start - from), w.frames - start));
  if (n <= 0) return out;
  const bps = w.bits / 8;
  const frameBytes = bps * w.channels;
  const bytes = new DataView(await file.slice(w.dataOffset + start * frameBytes, w.dataOffset + (start + n) * frameBytes).arrayBuffer());
  const o = start - from;
  if (w.bits === 16) for (let i = 0; i < n; i++) out[o + i] = bytes.getInt16(i * frameBytes, true) / 32768;
  else {
    for (let i = 0; i < n; i++) {
      const p = i * frameBytes;
      const v = bytes.getUint8(p) | (bytes.getUint8(p + 1) << 8) | (bytes.getInt8(p + 2) << 16);
      out[o + i] = v / 8388608;
    }
  }
  return out;
}

/** The loudest sample of `points` short stretches spread over the file, 0–255: a waveform without reading the file. */
export async function sparsePeaks(file: Blob, w: WavInfo, points: number): Promise<Uint8Array> {
  const out = new Uint8Array(points);
  const span = Math.min(1024, Math.floor(w.frames / points));
  for (let i = 0; i < points && span > 0; i++) {
    const s = await readFrames(file, w, Math.floor((i / points) * w.frames), span);
    let m = 0;
    for (const v of s) m = Math.max(m, Math.abs(v));
    out[i] = Math.min(255, Math.round(m * 255));
  }
  return out;
}
