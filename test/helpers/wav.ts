import { readFileSync } from 'node:fs';

/** A parsed WAV as written by the recorder: format, BWF fields, iXML and samples. */
export interface ParsedWav {
  channels: number;
  sampleRate: number;
  bitDepth: number;
  /** data size declared in the header, and what the file really holds */
  declaredDataBytes: number;
  samples: Int32Array;
  bext?: { description: string; originationDate: string; originationTime: string; timeReference: number };
  ixml?: string;
  chunkIds: string[];
}

export function readWav(path: string): ParsedWav {
  const buf = readFileSync(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path} is not RIFF/WAVE`);
  let off = 12;
  const out: Partial<ParsedWav> & { chunkIds: string[] } = { chunkIds: [] };
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = buf.subarray(off + 8, Math.min(buf.length, off + 8 + size));
    out.chunkIds.push(id);
    if (id === 'fmt ') {
      out.channels = body.readUInt16LE(2);
      out.sampleRate = body.readUInt32LE(4);
      out.bitDepth = body.readUInt16LE(14);
    } else if (id === 'bext') {
      const text = (a: number, b: number): string => body.toString('ascii', a, b).replace(/\0+$/, '');
      out.bext = {
        description: text(0, 256), originationDate: text(320, 330), originationTime: text(330, 338),
        timeReference: body.readUInt32LE(338) + body.readUInt32LE(342) * 2 ** 32,
      };
    } else if (id === 'iXML') {
      out.ixml = body.toString('utf8');
    } else if (id === 'data') {
      out.declaredDataBytes = size;
      const bps = out.bitDepth! / 8;
      const frames = Math.floor(Math.min(size, body.length) / bps / out.channels!);
      const samples = new Int32Array(frames * out.channels!);
      for (let i = 0; i < samples.length; i++) samples[i] = body.readIntLE(i * bps, bps);
      out.samples = samples;
      break;
    }
    off += 8 + size + (size % 2);
  }
  if (!out.samples) throw new Error(`${path} has no data chunk`);
  return out as ParsedWav;
}

/** Concatenated mono samples of several segment files, in order. */
export function readTrack(paths: string[]): Int32Array {
  const parts = paths.map((p) => readWav(p).samples);
  const all = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return all;
}
