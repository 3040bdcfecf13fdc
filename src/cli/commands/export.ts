import { existsSync, lstatSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { recordExport } from '../../engine/export/export-audit.js';
import { exportSittings, type ExportProgress, type ExportTarget } from '../../engine/export/export.js';
import { SittingSession } from '../../engine/sittings/sitting-session.js';
import { locateFfmpeg } from '../../capture/video/ffmpeg-locate.js';
import { finishedPackage } from '../../engine/export/sources.js';
import { UsageError } from '../args.js';
import { DISC_CAPACITIES } from '../../shared/medium-format.js';
import { loadConfig } from '../load-config.js';

export const TARGET_KINDS = ['iso', 'disc', 'folder', 'fat'] as const;

export interface ExportCommand { config?: string | undefined; refs: string[]; kind: string | undefined; target: string | undefined; json: boolean; listening: boolean; discSize?: string | undefined }

/**
 * `abk export SITTING… --to iso FILE | disc DRIVE | folder DIR | fat IMAGE`:
 * the sittings (ids, bases or folders) written with the portable player,
 * read back from the medium and held to their sealed manifests, and the
 * copy written down in the audit log.
 */
export async function exportCommand(o: ExportCommand): Promise<void> {
  if (!o.kind || !(TARGET_KINDS as readonly string[]).includes(o.kind)) throw new UsageError(`abk export: say where with --to ${TARGET_KINDS.join('|')} TARGET${o.kind ? `, not "${o.kind}"` : ''}; see "abk export --help"`);
  if (!o.target) throw new UsageError(`abk export: --to ${o.kind} needs its target (${o.kind === 'iso' ? 'the image file' : o.kind === 'disc' ? 'the drive, /dev/sr0' : o.kind === 'folder' ? 'the stick\'s folder' : 'the FAT image or device'}); see "abk export --help"`);
  if (o.refs.length === 0) throw new UsageError('abk export: say which sittings (ids, bases or folders; "abk sittings" lists them); see "abk export --help"');
  const target: ExportTarget = o.kind === 'iso' ? { kind: 'iso', file: o.target } : o.kind === 'disc' ? { kind: 'disc', drive: o.target }
    : o.kind === 'folder' ? { kind: 'folder', dir: o.target } : { kind: 'fat-image', image: o.target };
  if (target.kind === 'iso' && existsSync(target.file)) throw new UsageError(`abk export: ${target.file} exists already; give a new file name`);
  const config = loadConfig(o.config);
  const session = SittingSession.open(config);
  try {
    const rows = session.store.list();
    const chosen = o.refs.map((ref) => {
      if (existsSync(ref) && lstatSync(ref).isDirectory()) return { dir: resolve(ref), id: rows.find((r) => r.base === basename(resolve(ref)))?.id };
      const row = session.find(ref);
      return { dir: finishedPackage(config.recordingsRoot, row), id: row.id };
    });
    const done = await exportSittings(chosen.map((c) => c.dir), target, { xorriso: config.export.xorriso, ffmpeg: locateFfmpeg(config).ffmpeg, contents: o.listening ? 'listening' : 'original', onProgress: o.json ? undefined : showProgress(),
      ...(o.discSize ? { discBytes: discBytes(o.discSize) } : {}), nextDisc: askForDisc,
      ...(process.platform === 'win32' ? { imapi: { powershell: config.export.powershell } } : {}) });
    recordExport(session.store, chosen.flatMap((c) => (c.id === undefined ? [] : [c.id])), done, userInfo().username);
    if (o.json) { process.stdout.write(`${JSON.stringify({ ...done, index: undefined, sittings: done.index.sittings }, null, 2)}\n`); return; }
    if (done.discs > 1) process.stderr.write(`\na set of ${done.discs} discs: each holds the player, the index of the whole set and "disc k of ${done.discs}"`);
    process.stderr.write(`\n${done.files} files, ${(done.bytes / 1e6).toFixed(1)} MB written in ${done.writeSeconds.toFixed(1)} s and read back from the medium in ${done.checkSeconds.toFixed(1)} s: ${done.index.contents === 'listening' ? 'a listening copy (the microphones as MP3, derived); every file reads back as written' : 'every file matches the sealed manifest'}\n`);
    for (const s of done.index.sittings) process.stderr.write(`  ${s.base}  manifest SHA-256 ${s.manifest.sha256}\n`);
    if (done.kind === 'folder' || done.kind === 'fat-image') process.stderr.write('eject the stick before you pull it out (Windows: "Safely Remove Hardware"; Linux: eject or udisksctl power-off)\n');
    process.stdout.write(`${done.where}\n`);
  } finally {
    await session.close();
  }
}

function showProgress(): (p: ExportProgress) => void {
  let last = '';
  return (p) => {
    const line = `${p.stage} ${Math.round(p.fraction * 100)}%${p.secondsLeft !== undefined ? `, about ${p.secondsLeft} s left` : ''}`;
    if (line === last) return;
    last = line;
    process.stderr.write(`\r${line.padEnd(40)}`);
  };
}

/** `--to KIND TARGET`: the target is the argument right after the kind (`--to iso FILE`, `--to=iso FILE`), whichever of the positionals it is. */
export function targetAfterTo(argv: string[], positionals: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--to' || a.startsWith('--to='));
  if (i < 0) return undefined;
  const next = argv[argv[i] === '--to' ? i + 2 : i + 1];
  return next !== undefined && positionals.includes(next) ? next : undefined;
}

/** `--disc-size`: one of the blank discs by name (cd, dvd, dvd-dl, bd, bd-dl), or bytes. */
function discBytes(v: string): number {
  const named = DISC_CAPACITIES.find((d) => d.id === v);
  if (named) return named.bytes;
  if (/^\d+$/.test(v) && Number(v) >= 64 * 1024 * 1024) return Number(v);
  throw new UsageError(`abk export: --disc-size must be ${DISC_CAPACITIES.map((d) => d.id).join(', ')} or bytes (64 MiB at least), not "${v}"`);
}

/** Before each disc of a set after the first: the next blank disc in the drive, then Enter. */
function askForDisc(k: number, of: number): Promise<void> {
  process.stderr.write(`\ndisc ${k - 1} of ${of} is written and checked: take it out, label it "${k - 1}/${of}", put a blank disc in, then press Enter\n`);
  return new Promise((resolve, reject) => {
    const onData = (): void => { process.stdin.off('end', onEnd); process.stdin.pause(); resolve(); };
    const onEnd = (): void => reject(new Error(`no answer for disc ${k} of ${of}: the input closed; discs 1 to ${k - 1} are written, write the set again`));
    process.stdin.once('data', onData);
    process.stdin.once('end', onEnd);
    process.stdin.resume();
  });
}
