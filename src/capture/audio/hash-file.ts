import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { ChunkedDigest } from './data-chunks.js';
import { StreamHasher } from './stream-hasher.js';
import { findDataChunk } from './wav-header.js';

/** MD5 and SHA-256 of a file, read in 1 MiB blocks (the fastest way measured in Node); `onBytes` is told each block's size. */
export async function hashFile(path: string, onBytes?: (bytes: number) => void): Promise<{ md5: string; sha256: string; bytes: number }> {
  const hasher = new StreamHasher();
  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hasher.update(buf.subarray(0, bytesRead));
      onBytes?.(bytesRead);
    }
  } finally {
    await fh.close();
  }
  return { ...hasher.digest(), bytes: hasher.bytes };
}

export interface WavDigests { bytes: number; dataSha256: string; chunks: string[] }

/**
 * The digest of a WAV segment's audio data alone (the sitting chain's entry:
 * the bytes of the data chunk as its header sizes them), and with `whole` the
 * file's MD5 and SHA-256, in one read. With `chunkBytes`, the data's digest is
 * taken in chunks as the capture takes it (data-chunks.ts) and each chunk's is
 * returned too; without, it is the data's plain SHA-256 (segments recorded
 * before 0.3). `toEnd`: the data runs to the end of the file, not as far as
 * the header says (a file still being written, whose header is brought up to
 * date once a second).
 */
export async function hashWav(path: string, o: { chunkBytes?: number | undefined; toEnd?: boolean; whole: true }): Promise<WavDigests & { md5: string; sha256: string }>;
export async function hashWav(path: string, o: { chunkBytes?: number | undefined; toEnd?: boolean; whole?: false }): Promise<WavDigests>;
export async function hashWav(path: string, o: { chunkBytes?: number | undefined; toEnd?: boolean; whole?: boolean }): Promise<WavDigests & { md5?: string; sha256?: string }> {
  const hasher = o.whole ? new StreamHasher() : undefined;
  const chunked = o.chunkBytes !== undefined ? new ChunkedDigest(o.chunkBytes) : undefined;
  const plain = chunked ? undefined : createHash('sha256');
  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = 0;
  let from = -1;
  let to = -1;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const block = buf.subarray(0, bytesRead);
      if (from < 0) {
        const off = findDataChunk(block);
        if (off < 0 || off + 8 > bytesRead) throw new Error(`${path} is not a WAV file with a data chunk in its first MiB`);
        from = off + 8;
        to = o.toEnd ? Number.POSITIVE_INFINITY : from + block.readUInt32LE(off + 4);
      }
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + bytesRead);
      if (b > a) (chunked ?? plain!).update(block.subarray(a - pos, b - pos));
      hasher?.update(block);
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
  if (from < 0) throw new Error(`${path} is empty`);
  const dataSha256 = chunked ? chunked.finish() : plain!.digest('hex');
  return { bytes: pos, dataSha256, chunks: chunked?.digests ?? [], ...(hasher ? hasher.digest() : {}) };
}
