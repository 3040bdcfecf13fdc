import { closeSync, existsSync, fsyncSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StreamHasher } from '../../capture/audio/stream-hasher.js';
import { buildWavHeader, wavLayout, type WavTrackMeta } from '../../capture/audio/wav-header.js';
import { linkInto } from './media-steps.js';
import type { WavPart } from './media-timeline.js';

export interface JoinedFile {
  bytes: number;
  md5: string;
  sha256: string;
  frames: number;
  /** Bytes read only to checksum (a single segment closed early becomes the file as it is). */
  bytesReadForHashing: number;
}

const BLOCK = 1 << 20;

/**
 * One microphone's file for the whole sitting. A single segment is the file
 * already: it is linked under its final name and keeps the checksums taken
 * while it was recorded (or, closed early, is read once for them). Several
 * (a long sitting, a break, a restart) are written one after another behind
 * one header, with silence for a gap, and hashed as they are written — never
 * read back for it. Runs in a join process (join-pool.ts), off the engine's thread.
 */
export function joinWav(workDir: string, parts: WavPart[], meta: WavTrackMeta, target: string, progress: (bytes: number) => void): JoinedFile {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only?.kind === 'file') {
    linkInto(join(workDir, only.file), target);
    if (only.md5 !== undefined && only.sha256 !== undefined) {
      progress(only.bytes);
      return { bytes: only.bytes, md5: only.md5, sha256: only.sha256, frames: only.frames, bytesReadForHashing: 0 };
    }
    const hasher = new StreamHasher();
    readBlocks(target, 0, only.bytes, (b) => { hasher.update(b); progress(b.length); });
    return { bytes: only.bytes, ...hasher.digest(), frames: only.frames, bytesReadForHashing: only.bytes };
  }
  if (existsSync(target)) unlinkSync(target);
  const bps = meta.bitDepth / 8;
  const frames = parts.reduce((n, p) => n + p.frames, 0);
  const header = buildWavHeader(meta, frames * bps);
  const hasher = new StreamHasher();
  const out = openSync(target, 'wx');
  const put = (buf: Buffer): void => {
    hasher.update(buf);
    let off = 0;
    while (off < buf.length) off += writeSync(out, buf, off, buf.length - off);
    progress(buf.length);
  };
  try {
    put(header.bytes);
    for (const part of parts) {
      let left = part.frames * bps;
      if (part.kind === 'silence') {
        const zeros = Buffer.alloc(Math.min(left, BLOCK));
        for (; left > 0; left -= zeros.length) put(left >= zeros.length ? zeros : zeros.subarray(0, left));
        continue;
      }
      const path = join(workDir, part.file);
      readBlocks(path, wavLayout(path).dataOffset, left, put);
    }
    if ((frames * bps) % 2 === 1) put(Buffer.alloc(1));
    fsyncSync(out);
  } finally {
    closeSync(out);
  }
  return { bytes: hasher.bytes, ...hasher.digest(), frames, bytesReadForHashing: 0 };
}

/** `length` bytes of a file from `offset`, in 1 MiB blocks (the buffer is reused: consume it at once). */
function readBlocks(path: string, offset: number, length: number, take: (block: Buffer) => void): void {
  const block = Buffer.allocUnsafe(BLOCK);
  const fd = openSync(path, 'r');
  try {
    for (let pos = offset, left = length; left > 0;) {
      const n = readSync(fd, block, 0, Math.min(BLOCK, left), pos);
      if (n === 0) throw new Error(`${path} is shorter than its header says`);
      pos += n;
      left -= n;
      take(block.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}
