import { chmodSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileNames } from '../../shared/naming.js';
import { parseManifest, type Manifest, type ManifestFile } from '../../shared/package-format.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import { writeSums } from '../finalize/manifest.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';
import { softwareVersion } from '../version.js';

export const digestOf = (bytes: Buffer): { md5: string; sha256: string } => ({
  md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex'),
});

/** A manifest's exact bytes and what they parse to. */
export function readManifestBytes(dir: string, name: string): { bytes: Buffer; manifest: Manifest } {
  const bytes = readFileSync(join(dir, name));
  return { bytes, manifest: parseManifest(bytes.toString('utf8')) };
}

/** Put a file in place read-only, in one rename, flushed first. */
function placeReadOnly(path: string, bytes: Buffer | string): void {
  const next = `${path}.tmp`;
  rmSync(next, { force: true });
  writeFileDurable(next, bytes);
  chmodSync(next, 0o444);
  renameSync(next, path);
}

/** Write a folder's manifest (a new one, or over its current revision) and the checksum lists made from it. */
export function placeManifest(dir: string, name: string, manifest: Manifest): { md5: string; sha256: string } {
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  placeReadOnly(join(dir, name), bytes);
  const digest = digestOf(bytes);
  writeSums(dir, [...manifest.files, { name, ...digest }]);
  return digest;
}

/**
 * The next revision of a sealed folder's manifest: what `files` replaces (by
 * name) or adds, the protocol's files say. The current revision is never
 * edited: its exact bytes are kept beside it as `<base>_manifest.r<n>.json`,
 * and the new one names it by SHA-256 and lists it. A crash at any point
 * leaves the folder with its old revision or its new one, never neither.
 */
export function writeNextRevision(dir: string, name: string, change: { add: ManifestFile[]; remove: string[] }, reason: Manifest['reason'], nowMs = Date.now()): { manifest: Manifest; md5: string; sha256: string } {
  const { bytes, manifest: current } = readManifestBytes(dir, name);
  const digest = digestOf(bytes);
  const keptName = fileNames.manifestRevision(current.base, current.revision);
  const keptPath = join(dir, keptName);
  if (existsSync(keptPath)) {
    // left by a run that died after keeping it: it must be these very bytes
    if (digestOf(readFileSync(keptPath)).sha256 !== digest.sha256) throw new Error(`${keptName} exists and differs from the current manifest: the folder was changed by hand; run "abk verify ${dir}"`);
  } else {
    placeReadOnly(keptPath, bytes);
  }
  const replaced = new Set([...change.add.map((f) => f.name), ...change.remove]);
  const next: Manifest = {
    ...current,
    revision: current.revision + 1,
    previous: { revision: current.revision, name: keptName, sha256: digest.sha256 },
    writtenAt: `${almatyDate(nowMs)} ${almatyTime(nowMs)}`,
    reason,
    files: [
      ...current.files.filter((f) => !replaced.has(f.name)),
      ...change.add,
      { name: keptName, kind: 'manifest-revision', bytes: bytes.length, ...digest, revision: current.revision },
    ],
    software: { name: 'ABK ABT', version: softwareVersion() },
  };
  return { manifest: next, ...placeManifest(dir, name, next) };
}
