import { createHash, type Hash } from 'node:crypto';

/**
 * MD5 (required by the order) and SHA-256 of a byte stream, fed as the bytes
 * are written, so a file's checksums exist the moment it is closed.
 */
export class StreamHasher {
  private readonly md5: Hash = createHash('md5');
  private readonly sha256: Hash = createHash('sha256');
  bytes = 0;

  update(chunk: Buffer): void {
    this.md5.update(chunk);
    this.sha256.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): { md5: string; sha256: string } {
    return { md5: this.md5.digest('hex'), sha256: this.sha256.digest('hex') };
  }
}
