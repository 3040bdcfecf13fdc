import { closeSync, fdatasync, fsync, openSync, writeSync } from 'node:fs';
import { ChunkedDigest, type DataChunk } from './data-chunks.js';
import { buildWavHeader, setWavSizes, type WavHeader, type WavTrackMeta } from './wav-header.js';

export interface ClosedSegment {
  path: string;
  frames: number;
  bytes: number;
  /** The whole file's checksums: absent when the capture process closed it (see the class comment), read back from disk by crash recovery. */
  md5: string | undefined;
  sha256: string | undefined;
  /** 'reread': crash recovery read the file for md5 and sha256; 'none': not hashed as a file ('stream' is from recordings before 0.2). */
  hashedBy: 'stream' | 'reread' | 'none';
  /**
   * The audio data's digest (not the header's, which changes when a segment
   * closes early): the SHA-256 of its `chunkBytes` chunks' SHA-256s, each of
   * which entered the sitting's chain as it completed (data-chunks.ts).
   * Without `chunkBytes` (recorded before 0.3), the data's plain SHA-256.
   */
  dataSha256: string;
  chunkBytes?: number;
}

/**
 * One mono Broadcast WAV segment, written append-only with the header on disk
 * kept valid (sizes patched every `syncHeader`), so a kill leaves a playable
 * file up to the last sync. A segment is as long as one WAV may be (or
 * `audio.segmentSeconds`), so a sitting without a break or a restart is one
 * segment a microphone, which finalize links as the package's file.
 *
 * The only checksum taken here is the SHA-256 of the audio data in fixed-size
 * chunks as they complete (`onChunk`: each enters the sitting's chain at once,
 * so a stretch changed while the file still grows is found). The whole file's
 * MD5 and SHA-256 are not: its header changes at Stop, so finalize reads it
 * once for them, on every core.
 */
export class WavSegmentWriter {
  private readonly fd: number;
  private readonly header: WavHeader;
  private readonly bytesPerFrame: number;
  private readonly chunks: ChunkedDigest;
  private dataBytes = 0;
  private syncedBytes = -1;
  private syncing: Promise<void> | undefined;
  private closed = false;

  constructor(readonly path: string, private readonly meta: WavTrackMeta, readonly plannedFrames: number, chunkBytes: number, onChunk?: (c: DataChunk) => void) {
    this.bytesPerFrame = meta.bitDepth / 8;
    this.chunks = new ChunkedDigest(chunkBytes, onChunk);
    if ((plannedFrames * this.bytesPerFrame) % 2 !== 0) throw new RangeError('plannedFrames must give an even data size');
    this.header = buildWavHeader(meta, plannedFrames * this.bytesPerFrame);
    // 'wx': a segment is never overwritten, even if the engine is confused after a crash.
    this.fd = openSync(path, 'wx', 0o644);
    setWavSizes(this.header, 0);
    writeSync(this.fd, this.header.bytes, 0, this.header.bytes.length, 0);
  }

  get frames(): number {
    return this.dataBytes / this.bytesPerFrame;
  }
  get remainingFrames(): number {
    return this.plannedFrames - this.frames;
  }

  /** Append samples (whole frames). Throws the fs error (e.g. ENOSPC) to the caller. */
  write(samples: Buffer): void {
    if (samples.length > this.remainingFrames * this.bytesPerFrame) throw new RangeError('segment overrun');
    let off = 0;
    while (off < samples.length) {
      off += writeSync(this.fd, samples, off, samples.length - off, this.header.dataOffset + this.dataBytes + off);
    }
    this.chunks.update(samples);
    this.dataBytes += samples.length;
  }

  /**
   * Patch the sizes on disk, then flush data and header to the device off the
   * event loop (an fsync can take a quarter of a second; the capture loop must not wait).
   */
  syncHeader(): void {
    if (this.closed || this.syncing || this.syncedBytes === this.dataBytes) return;
    this.patchSizes();
    this.syncing = new Promise((resolve) => fdatasync(this.fd, () => {
      this.syncing = undefined;
      resolve();
    }));
  }

  private patchSizes(): void {
    setWavSizes(this.header, this.dataBytes);
    writeSync(this.fd, this.header.bytes, this.header.riffSizeOffset, 4, this.header.riffSizeOffset);
    writeSync(this.fd, this.header.bytes, this.header.dataSizeOffset, 4, this.header.dataSizeOffset);
    this.syncedBytes = this.dataBytes;
  }

  async close(): Promise<ClosedSegment> {
    if (this.closed) throw new Error(`segment ${this.path} closed twice`);
    this.closed = true;
    this.patchSizes();
    if (this.dataBytes % 2 === 1) writeSync(this.fd, Buffer.alloc(1), 0, 1, this.header.dataOffset + this.dataBytes);
    // Flushed in the thread pool: the next segment is already being written meanwhile.
    try {
      await this.syncing;
      await new Promise<void>((resolve, reject) => fsync(this.fd, (e) => (e ? reject(e) : resolve())));
    } finally {
      closeSync(this.fd);
    }
    const bytes = this.header.dataOffset + this.dataBytes + (this.dataBytes % 2);
    return { path: this.path, frames: this.frames, bytes, dataSha256: this.chunks.finish(), chunkBytes: this.chunks.chunkBytes, md5: undefined, sha256: undefined, hashedBy: 'none' };
  }
}
