import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage, type PackageReport } from '../../src/engine/package/verify.js';
import { TestCourtroom } from '../helpers/courtroom.js';

const court = new TestCourtroom();
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const abk = (args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let sealed: string;
let base: string;
let configPath: string;
let n = 0;

beforeAll(() => {
  const out = join(court.dir, 'demo');
  const r = abk(['demo', '--seconds', '4', '--channels', '2', '--out', out, '--case', 'Іс-2/ә..ғ'], { ABK_VIRTUAL_COURTROOM_DIR: join(court.dir, 'vc') });
  expect(r.code, r.stderr).toBe(0);
  sealed = r.stdout.trim().split('\n').at(-1)!;
  base = sealed.split('/').at(-1)!;
  configPath = join(out, 'demo-config.json');
}, 180_000);
afterAll(() => court.close());

/** A fresh writable copy of the finished sitting, as an attacker with the disk would have it. */
function copy(): string {
  const dir = join(court.dir, `copy-${n++}`);
  cpSync(sealed, dir, { recursive: true });
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  return dir;
}
const f = (suffix: string): string => `${base}_${suffix}`;
const notOk = (r: PackageReport): { name: string; status: string }[] => r.files.filter((x) => x.status !== 'ok').map(({ name, status }) => ({ name, status }));
const flipByte = (path: string, at: number): void => {
  const b = readFileSync(path);
  b[at] = b[at]! ^ 0xff;
  writeFileSync(path, b);
};

describe('abk verify on a sitting finalized from the virtual courtroom', () => {
  it('an untouched sitting verifies (exit 0), and the stock tools agree', () => {
    const r = abk(['verify', sealed]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('VERIFIED');
    expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: sealed }).status).toBe(0);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: sealed }).status).toBe(0);
    // every file of the folder is in the manifest or is one of the files that describe it
    const manifest = JSON.parse(readFileSync(join(sealed, f('manifest.json')), 'utf8')) as { files: { name: string; kind: string }[]; revision: number };
    const described = new Set([f('manifest.json'), 'MD5SUMS', 'SHA256SUMS']);
    expect(readdirSync(sealed).filter((x) => !described.has(x)).sort()).toEqual(manifest.files.map((x) => x.name).sort());
    expect(manifest.files.filter((x) => x.kind === 'protocol').map((x) => x.name).sort()).toEqual(['docx', 'json', 'pdf', 'xml'].map((e) => f(`protocol.${e}`)));
    expect(manifest.revision).toBe(2);
  });

  it('one byte changed in a WAV\'s data: that file is CHANGED, exit 1, and md5sum -c agrees', async () => {
    const dir = copy();
    flipByte(join(dir, f('mic01_judge.wav')), 20_000);
    expect(notOk(await verifyPackage(dir))).toEqual([{ name: f('mic01_judge.wav'), status: 'changed' }]);
    const r = abk(['verify', dir], { ABK_LANG: 'ru' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`ИЗМЕНЁН  ${f('mic01_judge.wav')}`);
    expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: dir }).status).not.toBe(0);
  });

  it('one byte changed in a WAV\'s header (its BWF description) is caught', async () => {
    const dir = copy();
    const wav = readFileSync(join(dir, f('mic02_secretary.wav')));
    const at = wav.indexOf('bext') + 8 + 3; // inside the description
    expect(at).toBeGreaterThan(11);
    flipByte(join(dir, f('mic02_secretary.wav')), at);
    expect(notOk(await verifyPackage(dir))).toEqual([{ name: f('mic02_secretary.wav'), status: 'changed' }]);
  });

  it('the video truncated: TRUNCATED, with both sizes', async () => {
    const dir = copy();
    truncateSync(join(dir, f('video.mp4')), 10_000);
    const r = await verifyPackage(dir);
    expect(r.files.find((x) => x.name === f('video.mp4'))).toMatchObject({ status: 'truncated', bytes: 10_000 });
    expect(notOk(r)).toHaveLength(1);
  });

  it('the mix deleted: MISSING; a file added: ADDED; a file renamed: RENAMED to its new name (in Kazakh)', async () => {
    const dir = copy();
    rmSync(join(dir, f('mix.mp3')));
    writeFileSync(join(dir, 'жаңа.txt'), 'қосылған');
    renameSync(join(dir, f('protocol.pdf')), join(dir, 'protocol-old.pdf'));
    const r = await verifyPackage(dir);
    expect(notOk(r).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: f('mix.mp3'), status: 'missing' }, { name: f('protocol.pdf'), status: 'renamed' }, { name: 'жаңа.txt', status: 'added' },
    ].sort((a, b) => a.name.localeCompare(b.name)));
    expect(r.files.find((x) => x.status === 'renamed')?.renamedTo).toBe('protocol-old.pdf');
    const kk = abk(['verify', dir], { ABK_LANG: 'kk' });
    expect(kk.code).toBe(1);
    expect(kk.stdout).toContain(`ЖОҚ  ${f('mix.mp3')}`);
    expect(kk.stdout).toContain('АРТЫҚ (манифестте жоқ)  жаңа.txt');
    // sha256sum -c alone does not see the added file: the listing is what does
    rmSync(join(dir, 'protocol-old.pdf'));
    cpSync(join(sealed, f('mix.mp3')), join(dir, f('mix.mp3')));
    cpSync(join(sealed, f('protocol.pdf')), join(dir, f('protocol.pdf')));
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir }).status).toBe(0);
    expect(notOk(await verifyPackage(dir))).toEqual([{ name: 'жаңа.txt', status: 'added' }]);
  });

  it('a mark\'s time edited in the manifest: the checksum lists no longer agree with it (the seal closes the rest)', async () => {
    const dir = copy();
    const path = join(dir, f('manifest.json'));
    const m = JSON.parse(readFileSync(path, 'utf8')) as { marks: { mediaMs: number }[] };
    m.marks[0]!.mediaMs += 5000;
    writeFileSync(path, `${JSON.stringify(m, null, 2)}\n`);
    const r = await verifyPackage(dir);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(['sums-disagree', 'sums-disagree']);
    expect(r.problems[0]!.detail).toContain(f('manifest.json'));
  });

  it('an earlier revision of the manifest edited, or removed, is caught', async () => {
    const dir = copy();
    const r1 = join(dir, f('manifest.r1.json'));
    writeFileSync(r1, readFileSync(r1, 'utf8').replace('"revision": 1', '"revision": 1 '));
    const edited = await verifyPackage(dir);
    expect(edited.problems.map((p) => p.code)).toContain('revision-changed');
    expect(notOk(edited)).toEqual([{ name: f('manifest.r1.json'), status: 'changed' }]);
    rmSync(r1);
    expect((await verifyPackage(dir)).problems.map((p) => p.code)).toContain('revision-missing');
  });

  it('making the protocol again never edits a manifest: a new revision names the previous one, and all still verify', async () => {
    const dir = copy();
    const before = readFileSync(join(sealed, f('manifest.json')));
    // the configuration the demo left points at the demo's root: work on the sitting itself there
    const r = abk(['protocol', base, '--config', configPath]);
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(sealed, f('manifest.json')), 'utf8')) as { revision: number; previous: { name: string; sha256: string } };
    expect(m.revision).toBe(3);
    expect(m.previous.name).toBe(f('manifest.r2.json'));
    expect(readFileSync(join(sealed, f('manifest.r2.json')))).toEqual(before);
    const v = await verifyPackage(sealed);
    expect(notOk(v)).toEqual([]);
    expect(v.ok).toBe(true);
    // the copy made before stays a valid package of revision 2
    expect((await verifyPackage(dir)).ok).toBe(true);
  });

  it('a recordings root holding several sittings, and nothing to verify', () => {
    const root = join(court.dir, 'demo');
    const r = abk(['verify', root, '--json']);
    const out = JSON.parse(r.stdout) as { ok: boolean; packages: { dir: string; ok: boolean }[] };
    expect(out.packages.map((p) => p.dir)).toEqual([sealed]); // .work is not a package
    expect(r.code).toBe(0);
    const empty = join(court.dir, 'empty');
    mkdirSync(join(empty, '2026', 'case'), { recursive: true });
    writeFileSync(join(empty, '2026', 'case', 'notes.txt'), 'no manifest here');
    expect(abk(['verify', empty]).code).toBe(3);
    expect(abk(['verify', join(court.dir, 'no-such')]).code).toBe(2);
    expect(abk(['verify', '--bogus', root]).code).toBe(2);
  });
});
