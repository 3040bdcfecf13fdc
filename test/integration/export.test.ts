import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadOnly } from '../../src/engine/db/database.js';
import { exportsOf } from '../../src/engine/export/export-audit.js';
import { exportSittings } from '../../src/engine/export/export.js';
import { DISC_RESERVE } from '../../src/engine/export/spread.js';
import { databasePath } from '../../src/engine/sittings/sitting-session.js';
import { SittingStore } from '../../src/engine/sittings/sitting-store.js';
import { parseMediumIndex } from '../../src/shared/medium-format.js';
import type { AbkError } from '../../src/shared/result.js';
import { abk, demoSitting, writableCopy } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { ffprobe } from '../helpers/media.js';
import { isRoot, SmallDisks } from '../helpers/small-disk.js';

/**
 * `abk export` of a sitting recorded on the virtual courtroom, to every kind
 * of medium that exists here: an ISO image and xorriso's stdio: pseudo-drive
 * (extracted with osirrox and checked with md5sum and abk verify), a FAT32
 * image written with mtools (no mount), and tmpfs folders as USB sticks.
 */
const court = new TestCourtroom();
const disks = new SmallDisks(court.dir);
let sealed: string;
let base: string;
let configPath: string;
let recordings: string;
let n = 0;

beforeAll(() => {
  ({ sealed, base, configPath } = demoSitting(court));
  recordings = (JSON.parse(readFileSync(configPath, 'utf8')) as { recordingsRoot: string }).recordingsRoot;
}, 180_000);
afterAll(async () => {
  disks.close();
  await court.close();
});

const fresh = (name: string): string => join(court.dir, `${name}-${n++}`);
/** The tree of an ISO image or pseudo-drive, taken out with osirrox (not with our code). */
function extract(image: string): string {
  const to = fresh('extracted');
  execFileSync('osirrox', ['-indev', image, '-extract', '/', to], { stdio: 'ignore' });
  return to;
}
/** The sitting's folder on a medium checked by the stock tools and by abk verify. */
function expectWholeSitting(root: string): void {
  const dir = join(root, base);
  expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
  expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
  const v = abk(['verify', dir]);
  expect(v.code, v.stdout).toBe(0);
  expect(readdirSync(dir).sort()).toEqual(readdirSync(sealed).sort());
}
const flipByteOfFile = (image: string, path: string, offset: number): void => {
  const lba = /File data lba:\s+\d+ ,\s+(\d+)/.exec(execFileSync('xorriso', ['-indev', image, '-find', `/${path}`, '-exec', 'report_lba', '--'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))![1]!;
  const fd = Buffer.from(readFileSync(image));
  const at = Number(lba) * 2048 + offset;
  fd[at] = fd[at]! ^ 0x01;
  writeFileSync(image, fd);
};
const mic = (k: number): string => readdirSync(sealed).find((f) => f.includes(`_mic0${k}_`))!;
const sittingId = (): number => (JSON.parse(abk(['sittings', '--json', '--config', configPath]).stdout) as { id: number; base: string }[]).find((s) => s.base === base)!.id;

describe('abk export to an ISO image and a disc', () => {
  it('the ISO holds the sitting exactly as sealed, with the player, its index and README; osirrox + md5sum -c + abk verify pass; abk verify of the image passes', () => {
    const iso = `${fresh('medium')}.iso`;
    const r = abk(['export', String(sittingId()), '--to', 'iso', iso, '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(iso);
    expect(r.stderr).toContain('every file matches the sealed manifest');
    expect(existsSync(`${iso}.partial`)).toBe(false);
    const root = extract(iso);
    expect(readdirSync(root).sort()).toEqual(['ABK-Player.html', 'README.txt', 'abk-medium.js', 'abk-medium.json', base].sort());
    expectWholeSitting(root);
    const index = parseMediumIndex(readFileSync(join(root, 'abk-medium.json'), 'utf8'));
    const manifestSha = execFileSync('sha256sum', [join(sealed, `${base}_manifest.json`)], { encoding: 'utf8' }).slice(0, 64);
    expect(index.sittings).toMatchObject([{ base, caseNumber: 'Іс-2/ә..ғ', manifest: { sha256: manifestSha } }]);
    expect(index.disc).toEqual({ number: 1, of: 1 });
    expect(readFileSync(join(root, 'README.txt'), 'utf8')).toContain(manifestSha);
    // Joliet (Windows) sees the same long names as Rock Ridge
    const joliet = execFileSync('xorriso', ['-indev', iso, '-rockridge', 'off', '-find', `/${base}`, '-type', 'f', '--'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const f of readdirSync(sealed)) expect(joliet).toContain(`/${base}/${f}`);
    const v = abk(['verify', iso]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
  });

  it('one byte flipped in the image: abk verify of the image names the file (and the untouched image passed above)', () => {
    const iso = `${fresh('medium')}.iso`;
    expect(abk(['export', base, '--to', 'iso', iso, '--config', configPath]).code).toBe(0);
    flipByteOfFile(iso, `${base}/${mic(2)}`, 3000);
    const v = abk(['verify', iso]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(new RegExp(`CHANGED\\s+${base}/${mic(2)}`));
    expect(v.stdout).not.toContain(mic(1));
  });

  it('burns to a stdio: pseudo-drive and reads every file back from it; the disc checks out with osirrox and md5sum', () => {
    const drive = `${fresh('drive')}.img`;
    const r = abk(['export', sealed, '--to', 'disc', `stdio:${drive}`, '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expectWholeSitting(extract(drive));
    expect(abk(['verify', `stdio:${drive}`]).code).toBe(0);
  });

  it('a listening copy: the mix, the A/V file and the protocol as sealed, each microphone an MP3 as long as its WAV, the sealed manifest naming every original; it says it is derived', () => {
    const iso = `${fresh('listening')}.iso`;
    const r = abk(['export', base, '--to', 'iso', iso, '--listening', '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('a listening copy');
    const root = extract(iso);
    const dir = join(root, base);
    const names = readdirSync(dir);
    expect(names.filter((n) => n.endsWith('.wav'))).toEqual([]);
    expect(names).not.toContain('MD5SUMS');
    for (const kept of readdirSync(sealed).filter((n) => /_(mix\.mp3|av\.mp4|protocol\.(pdf|docx|json|xml)|manifest\.json|manifest\.p7s)$/.test(n))) {
      expect(execFileSync('md5sum', [join(dir, kept)], { encoding: 'utf8' }).slice(0, 32)).toBe(execFileSync('md5sum', [join(sealed, kept)], { encoding: 'utf8' }).slice(0, 32));
    }
    for (const k of [1, 2]) {
      const mp3 = join(dir, mic(k).replace(/\.wav$/, '.mp3'));
      const p = ffprobe(mp3);
      expect(p.streams[0]).toMatchObject({ codec_type: 'audio', codec_name: 'mp3', channels: 1 });
      expect(Math.abs(Number(p.format.duration) - Number(ffprobe(join(sealed, mic(k))).format.duration))).toBeLessThan(0.1);
    }
    expect(readFileSync(join(dir, 'LISTENING-COPY.txt'), 'utf8')).toContain('копия для прослушивания');
    const index = parseMediumIndex(readFileSync(join(root, 'abk-medium.json'), 'utf8'));
    expect(index.contents).toBe('listening');
    const sealedManifest = JSON.parse(readFileSync(join(sealed, `${base}_manifest.json`), 'utf8')) as { files: { name: string; md5: string }[] };
    expect(index.sittings[0]!.derivedFrom!.map((f) => [f.name, f.md5])).toEqual(sealedManifest.files.map((f) => [f.name, f.md5]));
    expect(abk(['verify', iso]).code).toBe(0);
  });

  it('a copy bigger than a disc is spread over a set by whole files: each disc has the player, the whole index, "disc k of n" and the manifests, and checks alone', async () => {
    const controls = new Set(['MD5SUMS', 'SHA256SUMS', 'VERIFY.txt', `${base}_manifest.json`, `${base}_manifest.p7s`, `${base}_signer.pem`, `${base}_manifest.tsr`]);
    const all = readdirSync(sealed);
    const size = (n: string): number => readFileSync(join(sealed, n)).length;
    const media = all.filter((n) => !controls.has(n));
    const perDisc = DISC_RESERVE + all.filter((n) => controls.has(n)).reduce((x, n) => x + size(n) + 16384, 0) + Math.ceil(media.reduce((x, n) => x + size(n) + 16384, 0) * 0.6);
    const file = join(court.dir, `set-${n++}.iso`);
    const done = await exportSittings([sealed], { kind: 'iso', file }, { xorriso: 'xorriso', discBytes: perDisc });
    expect(done.discs).toBe(2);
    const seen: string[] = [];
    for (let k = 1; k <= 2; k++) {
      const iso = file.replace(/\.iso$/, `-${k}of2.iso`);
      expect(abk(['verify', iso]).code).toBe(0);
      const root = extract(iso);
      const index = parseMediumIndex(readFileSync(join(root, 'abk-medium.json'), 'utf8'));
      expect(index.disc).toEqual({ number: k, of: 2 });
      expect(readFileSync(join(root, 'README.txt'), 'utf8')).toContain(`${k}/2`);
      expect(existsSync(join(root, 'ABK-Player.html'))).toBe(true);
      const here = readdirSync(join(root, base));
      for (const c of all.filter((x) => controls.has(x))) expect(here).toContain(c);
      for (const m of here.filter((x) => !controls.has(x))) {
        seen.push(m);
        expect(index.files.find((f) => f.path === `${base}/${m}`)!.disc).toBe(k);
        expect(execFileSync('md5sum', [join(root, base, m)], { encoding: 'utf8' }).slice(0, 32)).toBe(execFileSync('md5sum', [join(sealed, m)], { encoding: 'utf8' }).slice(0, 32));
      }
    }
    expect(seen.sort()).toEqual(media.sort()); // every file once, on one disc
    const tooSmall = await exportSittings([sealed], { kind: 'iso', file: join(court.dir, 'small.iso') }, { xorriso: 'xorriso', discBytes: DISC_RESERVE + 100_000 }).then(() => undefined, (e: unknown) => e);
    expect((tooSmall as AbkError).appError.code).toBe('export-file-too-big-disc');
    expect(readdirSync(court.dir).filter((x) => x.startsWith('small'))).toEqual([]);
  });

  it('Windows burning through the IMAPI2 script\'s typed wrapper, against a stand-in speaking its protocol: burned, read back from the drive, a changed byte and the script\'s errors told', async () => {
    const fake = join(import.meta.dirname, '..', 'fixtures', 'fake-imapi.mjs');
    const burn = async (mode: string): Promise<unknown> => {
      const drive = fresh('drive-e');
      process.env.FAKE_IMAPI_MODE = mode;
      process.env.FAKE_IMAPI_DRIVE = drive;
      try {
        return await exportSittings([sealed], { kind: 'disc', drive }, { xorriso: 'xorriso', imapi: { powershell: process.execPath, script: fake } });
      } catch (e) {
        return e;
      }
    };
    const ok = await burn('ok') as { kind: string; where: string };
    expect(ok.kind).toBe('disc');
    expectWholeSitting(ok.where);
    const corrupt = await burn('corrupt') as AbkError;
    expect(corrupt.appError.code).toBe('export-read-back-failed');
    expect(corrupt.appError.message.en).toMatch(/_mic0\d_[a-z]+\.wav: changed .*Do not hand this disc out/);
    expect((await burn('error') as AbkError).appError.detail).toContain('write protected');
    expect((await burn('garbage') as AbkError).appError.detail).toContain('printed "Exception calling');
    expect((await burn('not-blank') as AbkError).appError.detail).toContain('not blank');
    delete process.env.FAKE_IMAPI_MODE;
    delete process.env.FAKE_IMAPI_DRIVE;
  });

  it('every copy issued is in the audit log: who, which sittings with their manifests\' hashes, which medium', () => {
    const db = openReadOnly(databasePath(recordings));
    try {
      const copies = exportsOf(new SittingStore(db), sittingId());
      expect(copies.map((c) => [c.medium, c.contents])).toEqual([['iso', 'original'], ['iso', 'original'], ['disc', 'original'], ['iso', 'listening']]);
      expect(copies[0]).toMatchObject({ contents: 'original', by: expect.any(String), sittings: [{ base, revision: expect.any(Number) }] });
      expect(copies[0]!.sittings[0]!.manifestSha256).toBe(execFileSync('sha256sum', [join(sealed, `${base}_manifest.json`)], { encoding: 'utf8' }).slice(0, 64));
    } finally {
      db.close();
    }
  });

  it('refuses sittings of two cases on one medium, and a file of 4 GiB or more for a disc, before writing anything', async () => {
    const other = writableCopy(sealed, fresh('other-case'));
    const m = join(other, `${base}_manifest.json`);
    writeFileSync(m, readFileSync(m, 'utf8').replace('"caseNumber": "Іс-2/ә..ғ"', '"caseNumber": "7599-24-00-2/1"').replace(`"base": "${base}"`, `"base": "${base}x"`));
    const iso = `${fresh('two-cases')}.iso`;
    const two = await exportSittings([sealed, other], { kind: 'iso', file: iso }, { xorriso: 'xorriso' }).then(() => undefined, (e: unknown) => e);
    expect((two as AbkError).appError.code).toBe('several-cases');
    const big = bigCopy();
    const refused = await exportSittings([big], { kind: 'iso', file: iso }, { xorriso: 'xorriso' }).then(() => undefined, (e: unknown) => e);
    expect((refused as AbkError).appError.code).toBe('export-file-too-big-iso');
    expect((refused as AbkError).appError.message.ru).toContain('4 ГиБ');
    expect(existsSync(iso) || existsSync(`${iso}.partial`)).toBe(false);
  });
});

/** A writable copy whose microphone 1 is a sparse 4.5 GiB file, listed so in its manifest. */
function bigCopy(): string {
  const dir = writableCopy(sealed, fresh('big'));
  const size = 4.5 * 1024 ** 3;
  truncateSync(join(dir, mic(1)), size);
  const m = join(dir, `${base}_manifest.json`);
  const manifest = JSON.parse(readFileSync(m, 'utf8')) as { files: { name: string; bytes: number }[] };
  manifest.files.find((f) => f.name === mic(1))!.bytes = size;
  writeFileSync(m, JSON.stringify(manifest, null, 2));
  return dir;
}

describe('abk export to a USB stick', () => {
  const fatImage = (mib: number): string => {
    const img = `${fresh('stick')}.img`;
    execFileSync('truncate', ['-s', `${mib}M`, img]);
    execFileSync('mkfs.vfat', ['-F', '32', img], { stdio: 'ignore' });
    return img;
  };
  /** The stick's copy taken out with mtools (not with our code). */
  const fromFat = (img: string, folder: string): string => {
    const to = fresh('from-stick');
    mkdirSync(to);
    execFileSync('mcopy', ['-s', '-i', img, `::/${folder}`, to], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    return join(to, folder);
  };
  const fatListing = (img: string): string => execFileSync('mdir', ['-i', img, '-b', '-/', '::/'], { encoding: 'utf8', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });

  it('a FAT32 image written with mtools, no mount: copied, read back, and whole when taken out with mcopy', () => {
    const img = fatImage(64);
    const r = abk(['export', base, '--to', 'fat', img, '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('eject the stick');
    const folder = r.stdout.trim().split('::/')[1]!;
    expect(fatListing(img)).not.toContain('.partial');
    const root = fromFat(img, folder);
    expect(existsSync(join(root, 'ABK-Player.html'))).toBe(true);
    expectWholeSitting(root);
  });

  it('a sparse 4.5 GiB file is refused for FAT32 before anything is written (exFAT or NTFS named)', () => {
    const img = fatImage(64);
    const before = execFileSync('md5sum', [img], { encoding: 'utf8' }).slice(0, 32);
    const r = abk(['export', bigCopy(), '--to', 'fat', img, '--config', configPath], { ABK_LANG: 'kk' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('exFAT не NTFS');
    expect(execFileSync('md5sum', [img], { encoding: 'utf8' }).slice(0, 32)).toBe(before);
  });

  it.runIf(isRoot)('a folder (a mounted stick): written, flushed, read back; too little room is refused before writing', () => {
    const stick = disks.mount('stick', 64);
    const r = abk(['export', base, '--to', 'folder', stick, '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const copy = r.stdout.trim();
    expect(readdirSync(stick)).toEqual([copy.split('/').at(-1)]);
    expectWholeSitting(copy);
    const tiny = disks.mount('tiny', 1);
    const t = abk(['export', base, '--to', 'folder', tiny, '--config', configPath]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/needs [\d.]+ GB and .* has [\d.]+ GB free/);
    expect(readdirSync(tiny)).toEqual([]);
  });

  it.runIf(isRoot)('a stick that fills up midway: a clear message, nothing left that looks like a copy, the original untouched', async () => {
    const sitting = readdirSync(sealed).reduce((s, f) => s + readFileSync(join(sealed, f)).length, 0);
    const stick = disks.mount('fills', Math.ceil((sitting * 1.5 + 4 * 1024 * 1024) / 1024 / 1024));
    let filled = false;
    const e = await exportSittings([sealed], { kind: 'folder', dir: stick }, {
      xorriso: 'xorriso',
      onProgress: (p) => {
        // someone else's copy to the same stick takes the room left, once ours has begun
        if (p.stage === 'writing' && p.fraction > 0 && !filled) {
          filled = true;
          spawnSync('dd', ['if=/dev/zero', `of=${join(stick, 'other.bin')}`, 'bs=1M'], { stdio: 'ignore' });
        }
      },
    }).then(() => undefined, (x: unknown) => x);
    expect(filled).toBe(true);
    expect((e as AbkError).appError.code).toBe('export-medium-full');
    expect((e as AbkError).appError.message.en).toContain('filled up');
    expect(readdirSync(stick)).toEqual(['other.bin']);
    expect(abk(['verify', sealed]).code).toBe(0);
  });
});
