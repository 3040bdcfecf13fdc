import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Broadcast WAV (EBU Tech 3285) header for one mono track: RIFF/WAVE with
 * `fmt `, `bext` (origination time, sample time reference), `iXML` (track
 * name) and `data`. The header has a fixed size for given metadata, so the
 * two size fields can be patched in place while the file grows.
 */
export interface WavTrackMeta {
  sampleRate: number;
  bitDepth: 16 | 24;
  /** ASCII description for bext, e.g. "ABK ABT mic01 judge". */
  description: string;
  /** Track name (UTF-8) for iXML, e.g. "mic01 Судья". */
  trackName: string;
  /** Project / take identifiers for iXML. */
  project: string;
  take: string;
  /** Wall-clock time of the first sample, in Asia/Almaty: `YYYY-MM-DD`, `hh:mm:ss`. */
  originationDate: string;
  originationTime: string;
  /** Samples since local midnight of the first sample (BWF TimeReference). */
  timeReference: number;
}

export interface WavHeader {
  bytes: Buffer;
  /** Offset of the data chunk payload = header length. */
  dataOffset: number;
  /** Offsets of the RIFF size and the data size fields. */
  riffSizeOffset: number;
  dataSizeOffset: number;
}


function chunk(id: string, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 4, 'ascii');
  head.writeUInt32LE(payload.length, 4);
  const pad = payload.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([head, payload, pad]);
}

function fixedAscii(text: string, length: number): Buffer {
  const buf = Buffer.alloc(length);
  buf.write(text.replace(/[^\x20-\x7e]/g, '_'), 0, length, 'ascii');
  return buf;
}

function bextPayload(m: WavTrackMeta): Buffer {
  const b = Buffer.alloc(602);
  fixedAscii(m.description, 256).copy(b, 0);
  fixedAscii('ABK ABT', 32).copy(b, 256);
  fixedAscii(`${m.project}/${m.take}`, 32).copy(b, 288);
  fixedAscii(m.originationDate, 10).copy(b, 320);
  fixedAscii(m.originationTime, 8).copy(b, 330);
  b.writeUInt32LE(m.timeReference % 0x100000000, 338);
  b.writeUInt32LE(Math.floor(m.timeReference / 0x100000000), 342);
  b.writeUInt16LE(2, 346); // BWF version 2; UMID and loudness left zero, reserved zero
  const history = Buffer.from(`A=PCM,F=${m.sampleRate},W=${m.bitDepth},M=mono,T=ABK ABT\r\n`, 'ascii');
  return Buffer.concat([b, history]);
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function ixmlPayload(m: WavTrackMeta): Buffer {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<BWFXML><IXML_VERSION>2.10</IXML_VERSION>' +
    `<PROJECT>${xmlEscape(m.project)}</PROJECT><TAKE>${xmlEscape(m.take)}</TAKE>` +
    '<TRACK_LIST><TRACK_COUNT>1</TRACK_COUNT><TRACK><CHANNEL_INDEX>1</CHANNEL_INDEX>' +
    `<INTERLEAVE_INDEX>1</INTERLEAVE_INDEX><NAME>${xmlEscape(m.trackName)}</NAME></TRACK></TRACK_LIST></BWFXML>\n`;
  return Buffer.from(xml, 'utf8');
}

export function buildWavHeader(m: WavTrackMeta, dataBytes: number): WavHeader {
  const bytesPerSample = m.bitDepth / 8;
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(m.sampleRate, 4);
  fmt.writeUInt32LE(m.sampleRate * bytesPerSample, 8);
  fmt.writeUInt16LE(bytesPerSample, 12);
  fmt.writeUInt16LE(m.bitDepth, 14);

  const body = Buffer.concat([chunk('fmt ', fmt), chunk('bext', bextPayload(m)), chunk('iXML', ixmlPayload(m))]);
  const dataHead = Buffer.alloc(8);
  dataHead.write('data', 0, 4, 'ascii');
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 4, 'ascii');
  riff.write('WAVE', 8, 4, 'ascii');
  const bytes = Buffer.concat([riff, body, dataHead]);
  const header: WavHeader = { bytes, dataOffset: bytes.length, riffSizeOffset: 4, dataSizeOffset: bytes.length - 4 };
  setWavSizes(header, dataBytes);
  return header;
}

/** Write the RIFF and data sizes for `dataBytes` of samples into the header buffer. */
export function setWavSizes(h: WavHeader, dataBytes: number): void {
  // An odd data length needs a pad byte that RIFF counts; our samples are 2 or 3 bytes, mono.
  const padded = dataBytes + (dataBytes % 2);
  h.bytes.writeUInt32LE(h.dataOffset - 8 + padded, h.riffSizeOffset);
  h.bytes.writeUInt32LE(dataBytes, h.dataSizeOffset);
}

/**
 * Where chunk `id` of a RIFF/WAVE buffer begins (its 8-byte chunk header), or
 * -1; `head` need only hold the chunks before it. The search ends at `data`.
 */
export function findChunk(head: Buffer, id: string): number {
  if (head.toString('ascii', 0, 4) !== 'RIFF' || head.toString('ascii', 8, 12) !== 'WAVE') return -1;
  let off = 12;
  while (off + 8 <= head.length) {
    const found = head.toString('ascii', off, off + 4);
    if (found === id) return off;
    if (found === 'data') return -1;
    const len = head.readUInt32LE(off + 4);
    off += 8 + len + (len % 2);
  }
  return -1;
}

export const findDataChunk = (head: Buffer): number => findChunk(head, 'data');

/** BWF TimeReference (samples since local midnight of the first sample) from a header's `bext` chunk. */
export function bextTimeReference(head: Buffer): number | undefined {
  const at = findChunk(head, 'bext');
  if (at < 0 || at + 8 + 346 > head.length) return undefined;
  return head.readUInt32LE(at + 8 + 338) + head.readUInt32LE(at + 8 + 342) * 2 ** 32;
}

/**
 * A WAV file's layout on disk, from its first 64 KiB: where its audio data
 * begins, and its bytes per second; throws when it holds no data chunk.
 */
export function wavLayout(path: string): { dataOffset: number; byteRate: number } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    const data = findDataChunk(head);
    if (data < 0) throw new Error(`${path} is not a WAV file with a data chunk`);
    const fmt = findChunk(head, 'fmt ');
    return { dataOffset: data + 8, byteRate: fmt < 0 ? 0 : head.readUInt32LE(fmt + 16) };
  } finally {
    closeSync(fd);
  }
}
