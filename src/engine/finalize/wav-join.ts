import { closeSync, existsSync, fsyncSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StreamHasher } from '../../capture/audio/stream-hasher.js';
import { buildWavHeader, findDataChunk, type WavTrackMeta } from '../../capture/audio/wav-header.js';
import { linkInto } from './media-steps.js';
import type { WavPart } from './media-timeline.js';

export interface JoinedFile { bytes: number; md5: string; sha256: string; frames: number; bytesRead: number; hashedWhileWriting: boolean }

const BLOCK = 1 << 20;

/**
 * One microphone's file for the whole sitting. A single segment is the file
 * already: it is linked under its final name and keeps the checksums taken
 * while it was recorded. Several (a long sitting, a break, a restart) are
 * written one after another behind one header, with silence for a gap, and
 * hashed as they are written — never read back for it.
 */
export function joinWav(workDir: string, parts: WavPart[], meta: WavTrackMeta, target: string, progress: (bytes: number) => void): JoinedFile {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only?.kind === 'file') {
    linkInto(join(workDir, only.file), target);
    progress(only.bytes);
    return { bytes: only.bytes, md5: only.md5, sha256: only.sha256, frames: only.frames, bytesRead: 0, hashedWhileWriting: only.hashedBy === 'stream' };
  }
  if (existsSync(target)) unlinkSync(target);
  const bps = meta.bitDepth / 8;
  const frames = parts.reduce((n, p) => n + p.frames, 0);
  const header = buildWavHeader(meta, frames * bps);
  const hasher = new StreamHasher();
  const out = openSync(target, 'wx');
  let bytesRead = 0;
  const put = (buf: Buffer): void => {
    hasher.update(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(out, buf, off, buf.length - off);
    progress(buf.length);
  };
  try {
    put(header.bytes);
    const block = Buffer.allocUnsafe(BLOCK);
    for (const part of parts) {
      let left = part.frames * bps;
      if (part.kind === 'silence') {
        const zeros = Buffer.alloc(Math.min(left, BLOCK));
        for (; left > 0; left -= zeros.length) put(left >= zeros.length ? zeros : zeros.subarray(0, left));
        continue;
      }
      const path = join(workDir, part.file);
      const offset = dataOffset(path);
      const fd = openSync(path, 'r');
      try {
        for (let pos = offset; left > 0;) {
          const n = readSync(fd, block, 0, Math.min(BLOCK, left), pos);
          if (n === 0) throw new Error(`${path} is shorter than its header says`);
          bytesRead += n;
          pos += n;
          left -= n;
          put(block.subarray(0, n));
        }
      } finally {
        closeSync(fd);
      }
    }
    if ((frames * bps) % 2 === 1) put(Buffer.alloc(1));
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  return { bytes: hasher.bytes, ...hasher.digest(), frames, bytesRead, hashedWhileWriting: true };
}

function dataOffset(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const at = findDataChunk(head.subarray(0, n));
    if (at < 0) throw new Error(`${path} is not a WAV file with a data chunk`);
    return at + 8;
  } finally {
    closeSync(fd);
  }
}
