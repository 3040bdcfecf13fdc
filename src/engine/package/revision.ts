import { chmodSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { fileNames } from '../../shared/naming.js';
import { parseManifest, type AuditHead, type Manifest, type ManifestFile } from '../../shared/package-format.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import { writeSums } from '../finalize/manifest.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';
import { softwareVersion } from '../version.js';
import { sealNames, signerPem, signManifest, type SealIdentity } from './seal.js';
import { requestTimestamp } from './timestamp.js';

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

/** What placing a manifest gave: its checksums, and why its seal has no timestamp when a TSA is configured but gave none. */
export interface Placed { md5: string; sha256: string; stampError?: string }

/**
 * Write a folder's manifest (a new one, or over its current revision), its
 * seal with the seal's timestamp, and the checksum lists made from it. The
 * seal is made first: if it cannot be, nothing is changed. A TSA that does not
 * answer leaves the seal without a timestamp (`stampError` says why;
 * `stampMissing` adds it later). `beforePlacing` puts in place what the
 * manifest names (an earlier revision). Without a seal (or a timestamp), an
 * older one is removed: left in place it would be over other bytes.
 */
export async function placeManifest(dir: string, name: string, manifest: Manifest, seal: SealIdentity | undefined,
  beforePlacing?: () => void): Promise<Placed> {
  const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = seal ? await signManifest(bytes, seal) : undefined;
  let stamp: Buffer | undefined;
  let stampError: string | undefined;
  if (seal?.tsa && signature) {
    try {
      stamp = await requestTimestamp(signature, seal.tsa, seal.openssl);
    } catch (e) {
      stampError = (e as Error).message;
    }
  }
  beforePlacing?.();
  placeReadOnly(join(dir, name), bytes);
  const sealPath = join(dir, sealNames.signature(manifest.base));
  const stampPath = join(dir, sealNames.timestamp(manifest.base));
  if (seal && signature) {
    // between the renames a crash leaves the new manifest with the old seal: abk verify reports it, abk protocol seals anew
    placeReadOnly(sealPath, signature);
    if (stamp) placeReadOnly(stampPath, stamp);
    else rmSync(stampPath, { force: true });
    const signer = join(dir, sealNames.signer(manifest.base));
    const pem = signerPem(seal);
    if (!existsSync(signer) || readFileSync(signer, 'utf8') !== pem) placeReadOnly(signer, pem);
  } else {
    rmSync(sealPath, { force: true });
    rmSync(stampPath, { force: true });
  }
  const digest = digestOf(bytes);
  writeSums(dir, [...manifest.files, { name, ...digest }]);
  return { ...digest, ...(stampError ? { stampError } : {}) };
}

/**
 * A sealed folder whose seal has no timestamp (the TSA was down) gets one now.
 * `false`: nothing to do (no TSA, no seal, or stamped already); an error when
 * the TSA still does not answer. The timestamp covers the seal only, so the
 * manifest and its checksum lists are not touched.
 */
export async function stampMissing(dir: string, base: string, seal: SealIdentity): Promise<boolean> {
  const sealPath = join(dir, sealNames.signature(base));
  const stampPath = join(dir, sealNames.timestamp(base));
  if (!seal.tsa || !existsSync(sealPath) || existsSync(stampPath)) return false;
  placeReadOnly(stampPath, await requestTimestamp(readFileSync(sealPath), seal.tsa, seal.openssl));
  return true;
}

/**
 * The next revision of a sealed folder's manifest: what `files` replaces (by
 * name) or adds, the protocol's files say. The current revision is never
 * edited: its exact bytes are kept beside it as `<base>_manifest.r<n>.json`,
 * and the new one names it by SHA-256 and lists it. A crash at any point
 * leaves the folder with its old revision or its new one, never neither.
 */
export async function writeNextRevision(dir: string, name: string, change: { add: ManifestFile[]; remove: string[] }, reason: Manifest['reason'],
  seal: SealIdentity | undefined, audit: AuditHead | null, nowMs = Date.now()): Promise<{ manifest: Manifest } & Placed> {
  const { bytes, manifest: current } = readManifestBytes(dir, name);
  const digest = digestOf(bytes);
  const keptName = fileNames.manifestRevision(current.base, current.revision);
  const keptPath = join(dir, keptName);
  // left by a run that died after keeping it: it must be these very bytes
  if (existsSync(keptPath) && digestOf(readFileSync(keptPath)).sha256 !== digest.sha256) {
    throw new Error(`${keptName} exists and differs from the current manifest: the folder was changed by hand; run "abk verify ${dir}"`);
  }
  // its seal and the seal's timestamp are kept with it, under the revision's name
  const kept: ManifestFile[] = [{ name: keptName, kind: 'manifest-revision', bytes: bytes.length, ...digest, revision: current.revision }];
  const keptAlong = [
    { from: sealNames.signature(current.base), to: sealNames.revision(current.base, current.revision) },
    { from: sealNames.timestamp(current.base), to: sealNames.revisionTimestamp(current.base, current.revision) },
  ].flatMap(({ from, to }) => existsSync(join(dir, from)) ? [{ to, bytes: readFileSync(join(dir, from)) }] : []);
  for (const k of keptAlong) kept.push({ name: k.to, kind: 'manifest-revision', bytes: k.bytes.length, ...digestOf(k.bytes), revision: current.revision });
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
      ...kept,
    ],
    software: { name: 'ABK ABT', version: softwareVersion() },
    audit,
  };
  // the current revision and its seal are kept under the revision's name before the new one is placed
  const placed = await placeManifest(dir, name, next, seal, () => {
    if (!existsSync(keptPath)) placeReadOnly(keptPath, bytes);
    for (const k of keptAlong) if (!existsSync(join(dir, k.to))) placeReadOnly(join(dir, k.to), k.bytes);
  });
  return { manifest: next, ...placed };
}
