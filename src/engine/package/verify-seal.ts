import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileNames } from '../../shared/naming.js';
import type { Manifest } from '../../shared/package-format.js';
import { checkSeal, sealNames, type SealCheck } from './seal.js';
import { checkTimestamp, type TimestampCheck } from './timestamp.js';
import type { PackageReport, SittingProblem, VerifyOptions } from './verify.js';

/**
 * One revision's seal over its manifest, and the seal's timestamp over the
 * seal: a timestamp that holds dates the seal, whose signer is then checked
 * as of that time (a certificate that expired since still proves it).
 */
async function checkOne(p7s: string, tsr: string, content: string, o: VerifyOptions, label: string, problems: SittingProblem[]): Promise<{ seal: SealCheck; timestamp: TimestampCheck }> {
  const openssl = o.openssl;
  const timestamp = existsSync(p7s) ? await checkTimestamp(tsr, p7s, o.trustedTsa ?? [], openssl) : { state: 'missing' as const };
  const at = timestamp.state === 'valid' ? timestamp.epoch : undefined;
  const seal = await checkSeal(p7s, content, o.trusted ?? [], openssl, at);
  if (seal.state === 'invalid') problems.push({ code: 'seal-invalid', detail: `${label}: ${seal.detail}` });
  if (seal.state === 'untrusted') problems.push({ code: 'seal-untrusted', detail: `${label}: ${seal.signer}: ${seal.detail}` });
  if (timestamp.state === 'invalid') problems.push({ code: 'timestamp-invalid', detail: `${label}: ${timestamp.detail}` });
  if (timestamp.state === 'untrusted') problems.push({ code: 'timestamp-untrusted', detail: `${label}: ${timestamp.tsa}: ${timestamp.detail}` });
  return { seal, timestamp };
}

/**
 * The current revision's seal and timestamp, and each kept revision's against
 * its revision. A package with no seal at all (made before sealing, or by a
 * copy that dropped it) fails only when trusted signers were asked for, or
 * when its signer's certificate shows it was sealed: without them nothing
 * could tell a missing seal from one never made. The same for a timestamp and
 * trusted TSAs (a TSA that was down leaves a seal without one for a while).
 */
export async function checkSeals(dir: string, m: Manifest, manifestName: string, o: VerifyOptions, report: PackageReport): Promise<void> {
  const p7s = sealNames.signature(m.base);
  const current = await checkOne(join(dir, p7s), join(dir, sealNames.timestamp(m.base)), join(dir, manifestName), o, p7s, report.problems);
  report.seal = current.seal;
  report.timestamp = current.timestamp;
  if (current.seal.state === 'missing' && ((o.trusted ?? []).length > 0 || existsSync(join(dir, sealNames.signer(m.base))))) {
    report.problems.push({ code: 'seal-missing', detail: p7s });
  }
  if (current.timestamp.state === 'missing' && (o.trustedTsa ?? []).length > 0) {
    report.problems.push({ code: 'timestamp-missing', detail: sealNames.timestamp(m.base) });
  }
  for (const f of m.files) {
    if (f.kind !== 'manifest-revision' || !f.name.endsWith('.p7s') || f.revision === undefined) continue;
    const content = join(dir, fileNames.manifestRevision(m.base, f.revision));
    if (!existsSync(join(dir, f.name)) || !existsSync(content)) continue; // reported as missing with the files
    await checkOne(join(dir, f.name), join(dir, sealNames.revisionTimestamp(m.base, f.revision)), content, o, f.name, report.problems);
  }
}
