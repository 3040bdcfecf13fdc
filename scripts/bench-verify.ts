/**
 * npm run bench:verify [-- --minutes 60 --mics 8]
 *
 * A sitting package of that length (24-bit 48 kHz microphone files, a mix, a
 * video; pseudo-random bytes, since verify only reads them) with its
 * manifest and lists, then in the same run:
 *   1. `openssl md5` and then `openssl sha256` over the same files, one after the other;
 *   2. abk verify (one read pass per file for both hashes, one process per core).
 * Both read warm files (a first read brings them into the page cache), so
 * the figures are hashing, not the disk. Prints throughput and the ratio.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { verifyPackage } from '../src/engine/package/verify.js';
import { benchPackage } from './bench-package.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, mics: { type: 'string', default: '8' } } });
const minutes = Number(values.minutes);
const mics = Number(values.mics);
const root = mkdtempSync(join(tmpdir(), 'abk-bench-verify-'));
const log = (s: string): void => { process.stdout.write(`${s}\n`); };

try {
  const { dir, files } = await benchPackage(root, { minutes, mics });
  const total = files.reduce((n, f) => n + f.bytes, 0);
  let warmed = 0;
  for (const f of files) warmed += readFileSync(join(dir, f.name)).length; // warm the page cache
  if (warmed !== total) throw new Error('the files changed while being read');
  log(`bench:verify: ${minutes} min × ${mics} microphones, ${files.length} files, ${(total / 1e9).toFixed(2)} GB, ${availableParallelism()} cores, warm page cache`);

  const paths = files.map((f) => join(dir, f.name));
  let t = performance.now();
  execFileSync('openssl', ['md5', ...paths], { maxBuffer: 1 << 24 });
  const md5s = (performance.now() - t) / 1000;
  t = performance.now();
  execFileSync('openssl', ['sha256', ...paths], { maxBuffer: 1 << 24 });
  const shas = (performance.now() - t) / 1000;
  const pair = md5s + shas;
  log(`openssl md5 ${md5s.toFixed(2)} s, then openssl sha256 ${shas.toFixed(2)} s: ${(total / 1e6 / pair).toFixed(0)} MB/s for both`);

  t = performance.now();
  const report = await verifyPackage(dir);
  const ours = (performance.now() - t) / 1000;
  if (!report.ok) throw new Error(`the bench package did not verify: ${JSON.stringify(report.files.filter((f) => f.status !== 'ok'))}`);
  log(`abk verify ${ours.toFixed(2)} s: ${(total / 1e6 / ours).toFixed(0)} MB/s for both hashes (${report.files.length} files ok)`);
  log(`ratio: ${(pair / ours).toFixed(2)}× the openssl pair's throughput (goal ≥ 1.5×)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
