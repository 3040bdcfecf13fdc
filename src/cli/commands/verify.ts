import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { checkRootLog, type LogReport } from '../../engine/package/audit-check.js';
import { describeLog, describeMedium, describeReport } from '../../engine/package/verify-messages.js';
import { checkMedium, type MediumReport } from '../../engine/export/check-medium.js';
import { parseManifest, type Manifest } from '../../shared/package-format.js';
import { findPackages, verifyPackage, type PackageReport } from '../../engine/package/verify.js';
import { UsageError } from '../args.js';
import { loadConfig } from '../load-config.js';
import { lang } from '../output.js';

/** Exit codes of `abk verify`. */
export const VERIFY_EXIT = { verified: 0, notVerified: 1, usage: 2, nothingFound: 3 } as const;

export interface VerifyOptions { paths: string[]; json: boolean; all: boolean; trusted: string[]; trustedTsa: string[]; config?: string | undefined }

/**
 * `abk verify PATH…`: every sitting package under the paths (a sitting's
 * folder, a recordings root, a copy fetched from a server or read off a
 * disc) checked with nothing but the files: no database, no network.
 */
export async function verifyCommand(o: VerifyOptions): Promise<number> {
  if (o.paths.length === 0) throw new UsageError('abk verify: say which folder to check (a sitting\'s folder, a recordings root or a copy); see "abk verify --help"');
  const isMedium = (p: string): boolean => p.startsWith('stdio:') || (existsSync(p) && !statSync(p).isDirectory());
  for (const p of o.paths) if (!isMedium(p) && !existsSync(p)) throw new UsageError(`abk verify: "${p}" does not exist`);
  // the configuration's trusted signers and TSAs (seal.trusted, seal.trustedTsa) are added to those given
  const seal = o.config ? loadConfig(o.config).seal : undefined;
  const trusted = [...o.trusted, ...(seal?.trusted ?? [])].map((t) => resolve(t));
  const trustedTsa = [...o.trustedTsa, ...(seal?.trustedTsa ?? [])].map((t) => resolve(t));
  for (const t of trusted) if (!existsSync(t)) throw new UsageError(`abk verify: the trusted certificate "${t}" does not exist (give a PEM file: the court CA's or an appliance's *_signer.pem)`);
  for (const t of trustedTsa) if (!existsSync(t)) throw new UsageError(`abk verify: the trusted TSA certificate "${t}" does not exist (give a PEM file: the TSA's certificate or its CA's)`);
  const t0 = performance.now();
  // an ISO image, a disc in its drive (a device) or xorriso's stdio: pseudo-drive: checked against itself and its index
  const media: MediumReport[] = [];
  for (const p of o.paths.filter(isMedium)) {
    const r = await checkMedium({ xorriso: 'xorriso' }, p);
    media.push(r);
    if (!o.json) process.stdout.write(`${describeMedium(r, lang())}\n\n`);
  }
  const dirs = findPackages(o.paths.filter((p) => !isMedium(p)).map((p) => resolve(p)));
  const reports: PackageReport[] = [];
  for (const d of dirs) {
    const r = await verifyPackage(d, { trusted, trustedTsa, ...(seal?.openssl ? { openssl: seal.openssl } : {}) });
    reports.push(r);
    if (!o.json) process.stdout.write(`${describeReport(r, lang(), o.all)}\n\n`);
  }
  // a recordings root holds the appliance's database: its audit log is checked against the heads its packages carry
  const logs: LogReport[] = [];
  for (const root of o.paths.map((p) => resolve(p))) {
    const r = await checkRootLog(root, dirs.filter((d) => d === root || d.startsWith(root + sep)).flatMap(manifestOf));
    if (r) logs.push(r);
  }
  if (!o.json) for (const l of logs) process.stdout.write(`${describeLog(l, lang())}\n\n`);
  const seconds = (performance.now() - t0) / 1000;
  const bytes = reports.reduce((n, r) => n + r.bytesRead, 0);
  const found = dirs.length + logs.length + media.length;
  const code = found === 0 ? VERIFY_EXIT.nothingFound : reports.every((r) => r.ok) && logs.every((l) => l.ok) && media.every((m) => m.ok) ? VERIFY_EXIT.verified : VERIFY_EXIT.notVerified;
  if (o.json) process.stdout.write(`${JSON.stringify({ ok: code === 0, packages: reports, logs, media, bytesRead: bytes, seconds: Math.round(seconds * 1000) / 1000 }, null, 2)}\n`);
  else if (found === 0) process.stderr.write(`abk verify: no sitting package (a folder with a *_manifest.json) under ${o.paths.join(', ')}\n`);
  else process.stderr.write(`${[...reports, ...media].filter((r) => r.ok).length}/${reports.length + media.length} verified${reports.length ? `, ${(bytes / 1e6).toFixed(0)} MB read` : ''} in ${seconds.toFixed(1)} s\n`);
  return code;
}

/** A package's current manifest and where it is; one that cannot be read carries no head (its own report says why). */
function manifestOf(dir: string): { where: string; manifest: Manifest }[] {
  const name = readdirSync(dir).find((n) => n.endsWith('_manifest.json'));
  if (!name) return [];
  try {
    return [{ where: join(dir, name), manifest: parseManifest(readFileSync(join(dir, name), 'utf8')) }];
  } catch {
    return []; // the package's report names it: manifest-invalid
  }
}
