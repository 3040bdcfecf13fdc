import type { MediumKind } from '../../shared/medium-format.js';
import type { MediumEntry } from './medium-files.js';

/** A file on the medium that did not read back as it was written. */
export interface ReadBackFinding { path: string; status: 'changed' | 'missing' | 'added' | 'unreadable'; detail?: string }

/**
 * One kind of medium. The export writes every entry (`write`), reads every
 * file back from the medium and holds it to its hashes (`readBack`), and only
 * then makes the copy look complete (`commit`): an image or a folder is
 * renamed from its partial name. On any failure `discard` removes what was
 * written, so nothing half-written looks like a copy.
 */
export interface MediumWriter {
  readonly kind: MediumKind;
  /** Where it writes, for messages and the audit record. */
  readonly where: string;
  /** The largest file the medium holds: FAT32 and ISO 9660 hold files under 4 GiB. */
  readonly maxFileBytes: number;
  /** The bytes free for the copy. */
  capacity(): Promise<number>;
  /** The bytes the entries take on this medium (blocks, directories). */
  needs(entries: MediumEntry[]): number;
  write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void>;
  readBack(entries: MediumEntry[], onFraction: (f: number) => void): Promise<ReadBackFinding[]>;
  commit(): Promise<string>;
  discard(): Promise<void>;
}

/** What the medium holds against what was to be written: a file missing, changed (by its MD5), or there unasked. */
export function compareRecorded(entries: Pick<MediumEntry, 'path' | 'md5'>[], recorded: Map<string, string>, mismatched: string[]): ReadBackFinding[] {
  const out: ReadBackFinding[] = mismatched.map((p) => ({ path: p, status: 'changed' as const, detail: 'the bytes on the medium do not match what was written' }));
  const want = new Set(entries.map((e) => e.path));
  for (const e of entries) {
    const got = recorded.get(e.path);
    if (got === undefined) out.push({ path: e.path, status: 'missing' });
    else if (got !== e.md5 && !mismatched.includes(e.path)) out.push({ path: e.path, status: 'changed', detail: `MD5 ${got}, the manifest says ${e.md5}` });
  }
  for (const p of recorded.keys()) if (!want.has(p)) out.push({ path: p, status: 'added' });
  return out;
}
