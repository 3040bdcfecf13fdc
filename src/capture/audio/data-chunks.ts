import { createHash, type Hash } from 'node:crypto';

/** One fixed-size stretch of a WAV file's audio data, hashed when it completed: an entry of the sitting's chain. */
export interface DataChunk {
  index: number;
  /** Bytes from the start of the data chunk. */
  offset: number;
  bytes: number;
  sha256: string;
}

/**
 * The SHA-256 of a file's audio data in fixed-size chunks, each told as it
 * completes, so a microphone's one growing file is covered while it is
 * still being written. The whole data's digest is the SHA-256 of the
 * chunks' digests one after another (`listDigest`): a second hash of every
 * byte would cost the capture process as much again.
 */
export class ChunkedDigest {
  private hash: Hash = createHash('sha256');
  private inChunk = 0;
  private offset = 0;
  readonly digests: string[] = [];

  constructor(readonly chunkBytes: number, private readonly onChunk: (c: DataChunk) => void = () => undefined) {
    if (!Number.isInteger(chunkBytes) || chunkBytes <= 0) throw new RangeError(`chunkBytes must be a positive integer, not ${chunkBytes}`);
  }

  update(data: Buffer): void {
    for (let at = 0; at < data.length;) {
      const n = Math.min(data.length - at, this.chunkBytes - this.inChunk);
      this.hash.update(data.subarray(at, at + n));
      this.inChunk += n;
      at += n;
      if (this.inChunk === this.chunkBytes) this.complete();
    }
  }

  /** The last, partial chunk told, and the whole data's digest. */
  finish(): string {
    if (this.inChunk > 0 || this.digests.length === 0) this.complete();
    return listDigest(this.digests);
  }

  private complete(): void {
    const chunk: DataChunk = { index: this.digests.length, offset: this.offset, bytes: this.inChunk, sha256: this.hash.digest('hex') };
    this.digests.push(chunk.sha256);
    this.offset += this.inChunk;
    this.inChunk = 0;
    this.hash = createHash('sha256');
    this.onChunk(chunk);
  }
}

/** SHA-256 of 32-byte digests, one after another. */
export function listDigest(digests: string[]): string {
  const h = createHash('sha256');
  for (const d of digests) h.update(Buffer.from(d, 'hex'));
  return h.digest('hex');
}
