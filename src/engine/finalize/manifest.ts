import { chmodSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileNames } from '../../shared/naming.js';
import { parseManifest, type Manifest, type ManifestFile } from '../../shared/package-format.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';

export type { FileKind, Manifest, ManifestFile, ManifestMark } from '../../shared/package-format.js';

/** `md5sum -c` input: `<md5>  <name>` per line; names never hold a newline or a backslash. */
export function md5sums(files: { name: string; md5: string }[]): string {
  return files.map((f) => `${f.md5}  ${f.name}\n`).join('');
}

/** The lines of an MD5SUMS file, as `md5sums` writes them. */
export function parseMd5sums(text: string): { name: string; md5: string }[] {
  return text.split('\n').filter((l) => /^[0-9a-f]{32} [ *]./.test(l)).map((l) => ({ md5: l.slice(0, 32), name: l.slice(34) }));
}

/** `sha256sum -c` input, the same way. */
export function sha256sums(files: { name: string; sha256: string }[]): string {
  return files.map((f) => `${f.sha256}  ${f.name}\n`).join('');
}

/**
 * A folder's MD5SUMS and SHA256SUMS: made from its current manifest revision
 * (they are its plain-tool form, not a record of their own), flushed,
 * read-only, and each put in place in one rename.
 */
export function writeSums(dir: string, files: { name: string; md5: string; sha256: string }[]): void {
  for (const [name, text] of [[fileNames.md5sums(), md5sums(files)], [fileNames.sha256sums(), sha256sums(files)]] as const) {
    const path = join(dir, name);
    const next = `${path}.tmp`;
    writeFileDurable(next, text);
    chmodSync(next, 0o444);
    renameSync(next, path);
  }
}

/** A manifest read back from disk, checked against its format version's schema (package-format.ts). */
export function readManifest(dir: string, name: string): Manifest {
  return parseManifest(readFileSync(join(dir, name), 'utf8'));
}

/** The microphone files by microphone, in number order, each microphone's parts in order (one file each, but past the WAV limit). */
export function microphoneFiles<F extends Pick<ManifestFile, 'kind' | 'microphone' | 'part'>>(files: F[]): F[][] {
  const byNumber = new Map<number, F[]>();
  for (const f of files) {
    if (f.kind !== 'microphone' || !f.microphone) continue;
    byNumber.set(f.microphone.number, [...(byNumber.get(f.microphone.number) ?? []), f]);
  }
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, fs]) => fs.sort((a, b) => (a.part?.index ?? 1) - (b.part?.index ?? 1)));
}
