import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { findDataChunk } from './wav-header.js';

/**
 * Repairs a WAV segment left by a process that died while writing it: the
 * header on disk is up to one sync old, but every whole frame after it is
 * good. Sets the sizes to the frames present and cuts a partial last sample.
 */
export function repairWav(path: string, bitDepth: 16 | 24): { frames: number; bytes: number } {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, head, 0, head.length, 0);
    const off = findDataChunk(head);
    if (off < 0) throw new Error(`${path} is not a WAV file with a data chunk`);
    const dataOffset = off + 8;
    const bps = bitDepth / 8;
    const dataBytes = Math.max(0, Math.floor((size - dataOffset) / bps) * bps);
    const sizes = Buffer.alloc(4);
    sizes.writeUInt32LE(dataBytes, 0);
    writeSync(fd, sizes, 0, 4, off + 4);
    let bytes = dataOffset + dataBytes;
    ftruncateSync(fd, bytes);
    if (dataBytes % 2 === 1) { writeSync(fd, Buffer.alloc(1), 0, 1, bytes); bytes += 1; }
    sizes.writeUInt32LE(bytes - 8, 0);
    writeSync(fd, sizes, 0, 4, 4);
    fsyncSync(fd);
    return { frames: dataBytes / bps, bytes };
  } finally {
    closeSync(fd);
  }
}
