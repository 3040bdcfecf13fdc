import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Multichannel WAV files with known content for the virtual courtroom.
 *
 * The "counter" signal makes every sample tell where it came from: channel c,
 * frame n holds ((n mod P) + 1) << 4 | c, scaled to the bit depth, with P the
 * counter period. So a recorded sample names its channel (swaps show) and its
 * frame (drops and duplicates show), and no sample is zero, so the start of the
 * signal in a recording is the first non-zero sample.
 */
export const counterPeriod = (bitDepth: 16 | 24): number => (bitDepth === 16 ? 4095 : (1 << 20) - 1);

export function counterSample(frame: number, channel: number, bitDepth: 16 | 24): number {
  const raw = (((frame % counterPeriod(bitDepth)) + 1) << 4) | (channel & 15);
  const full = bitDepth === 16 ? 1 << 16 : 1 << 24;
  return raw >= full / 2 ? raw - full : raw; // as a signed sample
}

export function wavFileHeader(channels: number, sampleRate: number, bitDepth: 16 | 24, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  const bps = bitDepth / 8;
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * bps, 28);
  h.writeUInt16LE(channels * bps, 32);
  h.writeUInt16LE(bitDepth, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Interleaved PCM of the counter signal: `frames` frames of `channels` channels from frame `first`. */
export function counterPcm(channels: number, frames: number, bitDepth: 16 | 24, first = 0): Buffer {
  const bps = bitDepth / 8;
  const out = Buffer.alloc(frames * channels * bps);
  for (let n = first, off = 0; n < first + frames; n++) {
    for (let c = 0; c < channels; c++, off += bps) out.writeIntLE(counterSample(n, c, bitDepth), off, bps);
  }
  return out;
}

/** Written in blocks of ten seconds, so an hour of sixteen channels never sits in memory. */
export function writeCounterWav(path: string, channels: number, seconds: number, bitDepth: 16 | 24, sampleRate = 48000): void {
  const frames = Math.round(seconds * sampleRate);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavFileHeader(channels, sampleRate, bitDepth, frames * channels * (bitDepth / 8)));
    for (let at = 0; at < frames; at += 10 * sampleRate) writeSync(fd, counterPcm(channels, Math.min(10 * sampleRate, frames - at), bitDepth, at));
  } finally {
    closeSync(fd);
  }
}

/**
 * Silence with a 1 kHz beep of `beepMs` on every channel at each of `beepsAtMs`
 * (from the start of the file): with a flashing camera, a sync test.
 */
export function writeBeepWav(path: string, channels: number, seconds: number, beepsAtMs: number[], sampleRate = 48000, beepMs = 100): void {
  const frames = Math.round(seconds * sampleRate);
  const pcm = Buffer.alloc(frames * channels * 2);
  for (const at of beepsAtMs) {
    const first = Math.round((at * sampleRate) / 1000);
    for (let n = Math.max(0, first); n < Math.min(frames, first + (beepMs * sampleRate) / 1000); n++) {
      const v = Math.round(Math.sin((2 * Math.PI * 1000 * (n - first)) / sampleRate) * 16000);
      for (let c = 0; c < channels; c++) pcm.writeInt16LE(v, (n * channels + c) * 2);
    }
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavFileHeader(channels, sampleRate, 16, pcm.length));
    writeSync(fd, pcm);
  } finally {
    closeSync(fd);
  }
}
