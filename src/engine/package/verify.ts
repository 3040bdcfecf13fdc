import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileNames } from '../../shared/naming.js';
import { ManifestError, parseManifest, type Manifest } from '../../shared/package-format.js';
import { parseMd5sums } from '../finalize/manifest.js';
import { hashAll } from './hash-pool.js';
import { digestOf } from './revision.js';
import { sealNames, type SealCheck } from './seal.js';
import type { TimestampCheck } from './timestamp.js';
import { checkSeals } from './verify-seal.js';

export const FILE_STATUSES = ['ok', 'changed', 'truncated', 'missing', 'added', 'renamed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];
export interface FileFinding { name: string; status: FileStatus; expectedBytes?: number; bytes?: number; renamedTo?: string; detail?: string }

export const SITTING_PROBLEMS = ['manifest-missing', 'manifest-invalid', 'sums-missing', 'sums-disagree', 'revision-missing', 'revision-changed',
  'seal-missing', 'seal-invalid', 'seal-untrusted', 'timestamp-missing', 'timestamp-invalid', 'timestamp-untrusted'] as const;
export type SittingProblem = { code: (typeof SITTING_PROBLEMS)[number]; detail: string };

export interface PackageReport {
  dir: string;
  base: string | undefined;
  revision: number | undefined;
  ok: boolean;
  files: FileFinding[];
  problems: SittingProblem[];
  /** The current revision's seal; `trusted` is undefined when no trusted certificates were given. */
  seal: SealCheck | undefined;
  /** The current seal's RFC 3161 timestamp; `trusted` is undefined when no trusted TSA was given. */
  timestamp: TimestampCheck | undefined;
  bytesRead: number;
}

export interface VerifyOptions {
  /** PEM files (the court CA, appliances) a seal's signer must chain to; none: the seal is checked against the bytes only. */
  trusted?: string[];
  /** PEM files of TSAs (or their CAs) a timestamp must chain to; none: it is checked against the certificate it carries. */
  trustedTsa?: string[];
  openssl?: string;
  /** Told the bytes read so far of the bytes to read, as the files are hashed. */
  onProgress?: (read: number, total: number) => void;
}

const MANIFEST_RE = /^(.+)_manifest\.json$/;

/** The files of a package that its manifest cannot list (the manifest itself, what is made from it): replicated and written with it. */
export function controlFiles(base: string): Set<string> {
  return new Set([fileNames.manifest(base), fileNames.md5sums(), fileNames.sha256sums(), sealNames.signature(base), sealNames.timestamp(base), sealNames.signer(base), fileNames.verifyGuide()]);
}

/**
 * Every sitting package under the paths: a folder holding a `<base>_manifest.json`
 * is one; any other folder is searched (hidden ones, such as `.work`, are not).
 */
export function findPackages(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    const names = readdirSync(dir);
    if (names.some((n) => MANIFEST_RE.test(n))) {
      found.push(dir);
      return;
    }
    for (const n of names.sort()) {
      if (n.startsWith('.')) continue;
      const p = join(dir, n);
      if (lstatSync(p).isDirectory()) walk(p);
    }
  };
  for (const p of paths) walk(p);
  return found;
}

/**
 * Check one sitting folder against its manifest, with nothing but the folder:
 * every file listed is there with its size and both hashes (one read pass,
 * on every core); nothing is there that is not listed; the plain-tool lists
 * say what the manifest says; every earlier revision is there, unchanged;
 * the seal is over the manifest's bytes (and its signer trusted, when told
 * whom to trust).
 */
export async function verifyPackage(dir: string, o: VerifyOptions = {}): Promise<PackageReport> {
  const report: PackageReport = { dir, base: undefined, revision: undefined, ok: false, files: [], problems: [], seal: undefined, timestamp: undefined, bytesRead: 0 };
  const names = readdirSync(dir).filter((n) => !n.startsWith('.'));
  const manifestName = names.find((n) => MANIFEST_RE.test(n));
  if (!manifestName) {
    report.problems.push({ code: 'manifest-missing', detail: `no *_manifest.json in ${dir}` });
    return report;
  }
  const manifestBytes = readFileSync(join(dir, manifestName));
  let m: Manifest;
  try {
    m = parseManifest(manifestBytes.toString('utf8'));
  } catch (e) {
    report.problems.push({ code: 'manifest-invalid', detail: `${manifestName}: ${e instanceof ManifestError ? e.message : (e as Error).message}` });
    return report;
  }
  report.base = m.base;
  report.revision = m.revision;

  const control = controlFiles(m.base);
  const listed = new Map(m.files.map((f) => [f.name, f] as const));
  const present = names.filter((n) => !control.has(n));
  const extra = present.filter((n) => !listed.has(n));
  const onDisk = m.files.filter((f) => names.includes(f.name) && lstatSync(join(dir, f.name)).isFile());
  const extraFiles = extra.filter((n) => lstatSync(join(dir, n)).isFile());
  const toRead = [...onDisk, ...extraFiles.map((n) => ({ name: n, bytes: lstatSync(join(dir, n)).size }))].map((f) => ({ path: join(dir, f.name), bytes: f.bytes }));
  const total = toRead.reduce((n, f) => n + f.bytes, 0);
  let read = 0;
  const hashes = await hashAll(toRead, undefined, o.onProgress && ((n) => { read += n; o.onProgress?.(Math.min(read, total), total); }));
  const hashOf = new Map([...onDisk.map((f) => f.name), ...extraFiles].map((n, i) => [n, hashes[i]!] as const));
  for (const h of hashes) if (h.ok) report.bytesRead += h.bytes;

  const renamedTargets = new Set<string>();
  for (const f of m.files) {
    const h = hashOf.get(f.name);
    if (!h) {
      // a file of the same size and hashes under another name: renamed
      const to = extraFiles.find((n) => !renamedTargets.has(n) && (() => { const x = hashOf.get(n); return x?.ok === true && x.sha256 === f.sha256 && x.md5 === f.md5; })());
      if (to) {
        renamedTargets.add(to);
        report.files.push({ name: f.name, status: 'renamed', renamedTo: to });
      } else {
        report.files.push({ name: f.name, status: 'missing', expectedBytes: f.bytes, ...(names.includes(f.name) ? { detail: 'not a file' } : {}) });
      }
      continue;
    }
    if (!h.ok) report.files.push({ name: f.name, status: 'changed', detail: `${h.code}: ${h.message}` });
    else if (h.bytes < f.bytes) report.files.push({ name: f.name, status: 'truncated', expectedBytes: f.bytes, bytes: h.bytes });
    else if (h.bytes !== f.bytes || h.md5 !== f.md5 || h.sha256 !== f.sha256) report.files.push({ name: f.name, status: 'changed', expectedBytes: f.bytes, bytes: h.bytes });
    else report.files.push({ name: f.name, status: 'ok', bytes: h.bytes });
  }
  for (const n of extra) if (!renamedTargets.has(n)) report.files.push({ name: n, status: 'added', ...(extraFiles.includes(n) ? {} : { detail: 'a folder' }) });

  checkSums(dir, m, manifestName, digestOf(manifestBytes), report);
  checkRevisions(dir, m, report);
  await checkSeals(dir, m, manifestName, o, report);
  report.ok = report.problems.length === 0 && report.files.every((f) => f.status === 'ok');
  return report;
}

/** MD5SUMS and SHA256SUMS are the manifest's lists for stock tools: they must say exactly what it says. */
function checkSums(dir: string, m: Manifest, manifestName: string, manifestDigest: { md5: string; sha256: string }, report: PackageReport): void {
  const expected = [...m.files, { name: manifestName, ...manifestDigest }];
  for (const [list, key] of [[fileNames.md5sums(), 'md5'], [fileNames.sha256sums(), 'sha256']] as const) {
    const path = join(dir, list);
    if (!existsSync(path)) {
      report.problems.push({ code: 'sums-missing', detail: list });
      continue;
    }
    const lines = parseSums(readFileSync(path, 'utf8'), key === 'md5' ? 32 : 64);
    const want = new Map(expected.map((f) => [f.name, f[key]] as const));
    const wrong = [...lines.filter((l) => want.get(l.name) !== l.hash).map((l) => l.name), ...[...want.keys()].filter((n) => !lines.some((l) => l.name === n))];
    if (wrong.length > 0) report.problems.push({ code: 'sums-disagree', detail: `${list}: ${[...new Set(wrong)].join(', ')}` });
  }
}

function parseSums(text: string, hexLen: number): { name: string; hash: string }[] {
  if (hexLen === 32) return parseMd5sums(text).map((l) => ({ name: l.name, hash: l.md5 }));
  return text.split('\n').filter((l) => /^[0-9a-f]{64} [ *]./.test(l)).map((l) => ({ hash: l.slice(0, 64), name: l.slice(66) }));
}

/** Each revision names the one before it by SHA-256; every one of them must be in the folder, unchanged, back to the first. */
function checkRevisions(dir: string, m: Manifest, report: PackageReport): void {
  let cur = m;
  while (cur.previous) {
    const prev = cur.previous;
    const path = join(dir, prev.name);
    if (!existsSync(path)) {
      report.problems.push({ code: 'revision-missing', detail: `revision ${prev.revision} (${prev.name}), named by revision ${cur.revision}` });
      return;
    }
    const bytes = readFileSync(path);
    if (digestOf(bytes).sha256 !== prev.sha256) {
      report.problems.push({ code: 'revision-changed', detail: `${prev.name} is not the revision ${prev.revision} that revision ${cur.revision} names` });
      return;
    }
    try {
      cur = parseManifest(bytes.toString('utf8'));
    } catch (e) {
      report.problems.push({ code: 'manifest-invalid', detail: `${prev.name}: ${(e as Error).message}` });
      return;
    }
  }
}
