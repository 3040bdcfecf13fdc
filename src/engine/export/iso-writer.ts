import { existsSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { FOUR_GIB } from './plan.js';
import type { MediumEntry } from './medium-files.js';
import { compareRecorded, type MediumWriter, type ReadBackFinding } from './writer.js';
import { mediaSpaceBytes, readBack, writeImage, type XorrisoRun } from './xorriso.js';

/** ISO 9660 allows 32 characters of A–Z, 0–9 and `_` in a volume's name. */
export function volumeId(caseNumber: string): string {
  return `ABK_${caseNumber.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`.slice(0, 32).replace(/_+$/, '');
}

/** What a file takes on a disc: its 2 KiB blocks and, generously, its directory records (Rock Ridge, Joliet or UDF). */
export const discBytes = (e: { bytes: number }): number => Math.ceil(e.bytes / 2048) * 2048 + 8192;
/** What the entries take on a disc, with a megabyte for the file system itself. */
export const imageBytes = (entries: MediumEntry[]): number => entries.reduce((n, e) => n + discBytes(e), 1024 * 1024);

/** An ISO image file: written as `FILE.partial`, renamed to FILE once it read back whole. */
export class IsoFileWriter implements MediumWriter {
  readonly kind = 'iso' as const;
  readonly maxFileBytes = FOUR_GIB - 1;
  private readonly partial: string;

  constructor(private readonly x: XorrisoRun, readonly where: string, private readonly volid: string) {
    this.partial = `${where}.partial`;
  }

  capacity(): Promise<number> {
    const s = statfsSync(dirname(this.where));
    return Promise.resolve(s.bavail * s.bsize);
  }

  needs(entries: MediumEntry[]): number {
    return imageBytes(entries);
  }

  async write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void> {
    rmSync(this.partial, { force: true });
    await writeImage(this.x, `stdio:${this.partial}`, entries, this.volid, onFraction);
  }

  async readBack(entries: MediumEntry[]): Promise<ReadBackFinding[]> {
    const r = await readBack(this.x, this.partial);
    return compareRecorded(entries, r.recorded, r.mismatched);
  }

  private committed = false;

  commit(): Promise<string> {
    renameSync(this.partial, this.where);
    this.committed = true;
    return Promise.resolve(this.where);
  }

  /** The partial image, and the image itself once committed (one image of a set that failed). */
  discard(): Promise<void> {
    rmSync(this.partial, { force: true });
    if (this.committed) rmSync(this.where, { force: true });
    return Promise.resolve();
  }
}

/**
 * An optical disc in a drive (`/dev/sr0`, or xorriso's `stdio:FILE`
 * pseudo-drive): burned in one session, then every file read back from the
 * disc. A disc cannot be taken back: a failed one is told as unusable.
 */
export class DiscWriter implements MediumWriter {
  readonly kind = 'disc' as const;
  readonly maxFileBytes = FOUR_GIB - 1;

  constructor(private readonly x: XorrisoRun, readonly where: string, private readonly volid: string) {}

  capacity(): Promise<number> {
    return mediaSpaceBytes(this.x, this.where);
  }

  needs(entries: MediumEntry[]): number {
    return imageBytes(entries);
  }

  write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void> {
    return writeImage(this.x, this.where, entries, this.volid, onFraction);
  }

  async readBack(entries: MediumEntry[]): Promise<ReadBackFinding[]> {
    const r = await readBack(this.x, this.where);
    return compareRecorded(entries, r.recorded, r.mismatched);
  }

  commit(): Promise<string> {
    return Promise.resolve(this.where);
  }

  discard(): Promise<void> {
    // a pseudo-drive's file can be removed; a burned disc stays as it is, and the message says not to hand it out
    if (this.where.startsWith('stdio:') && existsSync(this.where.slice(6)) && basename(this.where).length > 0) rmSync(this.where.slice(6), { force: true });
    return Promise.resolve();
  }
}
