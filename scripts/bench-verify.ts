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
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { hashFile } from '../src/capture/audio/hash-file.js';
import { placeManifest } from '../src/engine/package/revision.js';
import { verifyPackage } from '../src/engine/package/verify.js';
import { FORMAT_VERSION, type Manifest, type ManifestFile } from '../src/shared/package-format.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, mics: { type: 'string', default: '8' } } });
const minutes = Number(values.minutes);
const mics = Number(values.mics);
const dir = mkdtempSync(join(tmpdir(), 'abk-bench-verify-'));
const base = 'X_2026-12-02_10-00';
const log = (s: string): void => { process.stdout.write(`${s}\n`); };

function writeFile(name: string, bytes: number): void {
  const fd = openSync(join(dir, name), 'w');
  const block = randomFillSync(Buffer.allocUnsafe(1 << 22));
  for (let left = bytes; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(block.length, left));
  closeSync(fd);
}

try {
  const wavBytes = Math.round(minutes * 60 * 48000 * 3) + 44;
  const plan: { name: string; kind: ManifestFile['kind']; bytes: number }[] = [
    ...Array.from({ length: mics }, (_, i) => ({ name: `${base}_mic${String(i + 1).padStart(2, '0')}.wav`, kind: 'microphone' as const, bytes: wavBytes })),
    { name: `${base}_mix.mp3`, kind: 'mix', bytes: Math.round(minutes * 60 * 12_000) },
    { name: `${base}_video.mp4`, kind: 'video', bytes: Math.round(minutes * 60 * 190_000) },
  ];
  for (const p of plan) writeFile(p.name, p.bytes);
  const files: ManifestFile[] = [];
  for (const p of plan) files.push({ name: p.name, kind: p.kind, ...(await hashFile(join(dir, p.name))), durationMs: minutes * 60_000 });
  const manifest: Manifest = {
    format: 'abk-abt-manifest', formatVersion: FORMAT_VERSION, audit: null, chain: null, revision: 1, previous: null, writtenAt: '2026-12-02 11:00:00', reason: 'finalize',
    base, caseNumber: 'X', sitting: null, timeZone: 'Asia/Almaty', utcOffset: '+05:00', startedAt: '2026-12-02 10:00:00', endedAt: '2026-12-02 11:00:00',
    sampleRate: 48000, bitDepth: 24, mediaDurationMs: minutes * 60_000, files, marks: [], pauses: [], gaps: [], problems: [], software: { name: 'ABK ABT', version: 'bench' },
  };
  await placeManifest(dir, `${base}_manifest.json`, manifest, undefined);
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
  rmSync(dir, { recursive: true, force: true });
}
