/// <reference lib="dom" />
/**
 * npm run bench:export [-- --minutes 60 --mics 8 --hours 4]
 *
 * In one run, on a sitting package of that length (bench-package.ts):
 *   1. the ISO image: bare xorriso (Joliet, Rock Ridge, -md5 on, the same
 *      files) against `abk export --to iso` (the same image, then every file
 *      read back and held to the manifest), warm page cache;
 *   2. the portable player's "Verify this copy" in Debian's Chromium from
 *      file:// against `md5sum` then `sha256sum` on the same files;
 *   3. the portable player's first sound on a sitting of `--hours`: from the
 *      page's opening to the mix playing, and from the folder granted to the
 *      microphones heard through Web Audio.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { exportSittings } from '../src/engine/export/export.js';
import { mediumEntries } from '../src/engine/export/medium-files.js';
import { planExport } from '../src/engine/export/plan.js';
import { newPage, openBrowser, outputDb } from '../test/helpers/browser.js';
import { benchPackage } from './bench-package.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, mics: { type: 'string', default: '8' }, hours: { type: 'string', default: '4' } } });
const minutes = Number(values.minutes);
const mics = Number(values.mics);
const hours = Number(values.hours);
const log = (s: string): void => { process.stdout.write(`${s}\n`); };
const seconds = (t: number): number => (performance.now() - t) / 1000;
const root = mkdtempSync(join(tmpdir(), 'abk-bench-export-'));

execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-ui.ts'], { stdio: 'ignore' });
const browser = await openBrowser();
try {
  const medium = join(root, 'medium');
  const pkg = await benchPackage(medium, { minutes, mics });
  for (const f of pkg.files) readFileSync(join(pkg.dir, f.name)); // warm the page cache
  log(`bench:export: ${minutes} min × ${mics} microphones, ${pkg.files.length} files, ${(pkg.bytes / 1e9).toFixed(2)} GB, ${availableParallelism()} cores, warm page cache`);

  // 1. the ISO image
  let t = performance.now();
  execFileSync('xorriso', ['-outdev', `stdio:${join(root, 'bare.iso')}`, '-joliet', 'on', '-rockridge', 'on', '-md5', 'on', '-map', pkg.dir, `/${pkg.base}`, '-commit', '-end'], { stdio: 'ignore' });
  const bare = seconds(t);
  rmSync(join(root, 'bare.iso'));
  t = performance.now();
  const done = await exportSittings([pkg.dir], { kind: 'iso', file: join(root, 'ours.iso') }, { xorriso: 'xorriso' });
  const ours = seconds(t);
  rmSync(join(root, 'ours.iso'));
  log(`ISO: bare xorriso ${bare.toFixed(2)} s; abk export ${ours.toFixed(2)} s in all — writing ${done.writeSeconds.toFixed(2)} s, reading back and checking ${done.checkSeconds.toFixed(2)} s`);
  log(`ratio: writing ${(done.writeSeconds / bare).toFixed(2)}× bare xorriso (goal ≤ 1.1×); with the read-back ${(ours / bare).toFixed(2)}×`);

  // 2. the player's Verify this copy, against md5sum + sha256sum
  await mediumEntries(planExport([pkg.dir]), 'original', medium);
  const paths = pkg.files.map((f) => join(pkg.dir, f.name));
  t = performance.now();
  execFileSync('md5sum', paths, { maxBuffer: 1 << 24 });
  const md5 = seconds(t);
  t = performance.now();
  execFileSync('sha256sum', paths, { maxBuffer: 1 << 24 });
  const sha = seconds(t);
  const tools = md5 + sha;
  log(`md5sum ${md5.toFixed(2)} s, then sha256sum ${sha.toFixed(2)} s: ${(pkg.bytes / 1e6 / tools).toFixed(0)} MB/s for both`);
  const page = await newPage(browser);
  await page.goto(pathToFileURL(join(medium, 'ABK-Player.html')).href);
  await page.setInputFiles('input[name=grant]', medium);
  await page.waitForSelector('button[name=verify-copy]:not([disabled])');
  await page.click('button[name=verify-copy]');
  await page.waitForSelector('[data-testid=verify-result]', { timeout: 600_000 });
  const ok = await page.getAttribute('[data-testid=verify-result]', 'data-ok');
  const text = await page.textContent('[data-testid=verify-result]');
  const player = Number(/([\d.]+) s\)/.exec(text ?? '')?.[1]);
  if (ok !== 'true') throw new Error(`the player did not verify the bench copy: ${text}`);
  log(`player's Verify this copy ${player.toFixed(1)} s: ${(pkg.bytes / 1e6 / player).toFixed(0)} MB/s for both; ratio ${(tools / player).toFixed(2)}× md5sum + sha256sum (goal ≥ 0.5×)`);
  await page.close();
  rmSync(medium, { recursive: true, force: true });

  // 3. first sound on a long sitting (the microphones sparse past their first two minutes)
  const long = join(root, 'long');
  const lp = await benchPackage(long, { minutes: hours * 60, mics, realSeconds: 120 });
  await mediumEntries(planExport([lp.dir]), 'original', long);
  // the bench's mix is noise bytes: a real MP3 of the same length is put in its place, for the page to play
  const mix = lp.files.find((f) => f.kind === 'mix')!;
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:sample_rate=8000', '-t', '600', '-b:a', '16k', join(root, 'mix10.mp3')]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-stream_loop', String(hours * 6 - 1), '-i', join(root, 'mix10.mp3'), '-c', 'copy', join(lp.dir, mix.name)]);
  const lpage = await newPage(browser);
  t = performance.now();
  await lpage.goto(pathToFileURL(join(long, 'ABK-Player.html')).href);
  await lpage.waitForFunction(() => ((document.querySelector('[data-testid=mix]') as HTMLMediaElement | null)?.currentTime ?? 0) > 0, undefined, { timeout: 30_000 });
  const mixFirst = seconds(t);
  t = performance.now();
  await lpage.setInputFiles('input[name=grant]', long);
  await lpage.waitForSelector('[data-testid=medium-message]:has-text("Қалта ашылды")');
  await lpage.click('button[name=play]');
  for (;;) {
    if ((await outputDb(lpage, 20)) > -60) break;
    if (seconds(t) > 30) throw new Error('no sound from the microphones within 30 s');
  }
  const micsFirst = seconds(t);
  log(`first sound, ${hours} h × ${mics} microphones: the mix ${mixFirst.toFixed(2)} s after the page opened; the microphones ${micsFirst.toFixed(2)} s after the folder was granted (goal < 1 s)`);
} finally {
  await browser.close();
  rmSync(root, { recursive: true, force: true });
}
