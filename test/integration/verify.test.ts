import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage, type PackageReport } from '../../src/engine/package/verify.js';
import { abk, demoSitting, writableCopy } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';

const court = new TestCourtroom();

let sealed: string;
let base: string;
let configPath: string;
let n = 0;

beforeAll(() => {
  ({ sealed, base, configPath } = demoSitting(court));
}, 180_000);
afterAll(() => court.close());

const copy = (): string => writableCopy(sealed, join(court.dir, `copy-${n++}`));
const f = (suffix: string): string => `${base}_${suffix}`;
const notOk = (r: PackageReport): { name: string; status: string }[] => r.files.filter((x) => x.status !== 'ok').map(({ name, status }) => ({ name, status }));
/** What someone with the disk could do: move a mark by 5 s and rewrite both checksum lists so they agree with the edit. */
function editMarkAndRewriteSums(dir: string): string {
  const path = join(dir, f('manifest.json'));
  const m = JSON.parse(readFileSync(path, 'utf8')) as { marks: { mediaMs: number }[] };
  m.marks[0]!.mediaMs += 5000;
  const text = `${JSON.stringify(m, null, 2)}\n`;
  writeFileSync(path, text);
  for (const [list, tool] of [['MD5SUMS', 'md5sum'], ['SHA256SUMS', 'sha256sum']] as const) {
    const lines = readFileSync(join(dir, list), 'utf8').split('\n').filter((l) => l && !l.endsWith(f('manifest.json')));
    const own = spawnSync(tool, [f('manifest.json')], { cwd: dir, encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, list), `${[...lines, own].join('\n')}\n`);
  }
  return text;
}
/** The seal checked the way VERIFY.txt tells anyone to, with stock openssl. */
function stockSealCheck(dir: string): { status: number | null; stderr: string } {
  const line = readFileSync(join(dir, 'VERIFY.txt'), 'utf8').split('\n').find((l) => l.includes('openssl cms -verify'))!;
  const cmd = line.slice(line.indexOf('openssl ')).trim().split(/\s+/);
  return spawnSync(cmd[0]!, cmd.slice(1), { cwd: dir, encoding: 'utf8' });
}
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
    const described = new Set([f('manifest.json'), 'MD5SUMS', 'SHA256SUMS', f('manifest.p7s'), f('signer.pem'), 'VERIFY.txt']);
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
    expect(r.problems.map((p) => p.code)).toEqual(['sums-disagree', 'sums-disagree', 'seal-invalid']);
    expect(r.problems[0]!.detail).toContain(f('manifest.json'));
  });

  it('the manifest edited and its checksum lists rewritten to match: only the seal tells, and stock openssl agrees', async () => {
    const dir = copy();
    const edited = editMarkAndRewriteSums(dir);
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir }).status).toBe(0); // the plain lists are fooled
    const r = await verifyPackage(dir);
    expect(notOk(r)).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['seal-invalid']);
    expect(r.seal?.state).toBe('invalid');
    expect(stockSealCheck(dir).status).not.toBe(0);
    // positive control: the same command on the untouched sitting says it is good
    expect(stockSealCheck(sealed).stderr).toContain('Verification successful');
    expect(readFileSync(join(dir, f('manifest.json')), 'utf8')).toBe(edited);
  });

  it('re-sealed with another key: consistent on its own, UNTRUSTED against the appliance\'s certificate, trusted against its own', async () => {
    const dir = copy();
    editMarkAndRewriteSums(dir);
    const forger = join(court.dir, `forger-${n++}`);
    mkdirSync(forger);
    const ssl = (args: string[]): void => { const x = spawnSync('openssl', args, { encoding: 'utf8' }); expect(x.status, x.stderr).toBe(0); };
    ssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(forger, 'k.pem'), '-out', join(forger, 'c.pem'), '-days', '1', '-subj', '/O=ABK ABT/CN=ABK ABT appliance']);
    ssl(['cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, f('manifest.json')), '-signer', join(forger, 'c.pem'), '-inkey', join(forger, 'k.pem'), '-outform', 'DER', '-out', join(dir, f('manifest.p7s'))]);
    cpSync(join(forger, 'c.pem'), join(dir, f('signer.pem')));
    const own = await verifyPackage(dir);
    expect(own.seal?.state).toBe('valid'); // without a trusted list nothing can tell a forger from the appliance
    expect(own.ok).toBe(true);
    const appliance = join(sealed, f('signer.pem'));
    const r = abk(['verify', dir, '--trust', appliance]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not among the trusted');
    expect((await verifyPackage(dir, { trusted: [appliance] })).problems.map((p) => p.code)).toEqual(['seal-untrusted']);
    // positive controls: the real sitting against the appliance, the forgery against the forger
    expect(abk(['verify', sealed, '--trust', appliance]).stdout).toContain('seal: valid, by a trusted signer');
    // trusting the forger alone: its seal passes, but revision 1's kept seal is the appliance's, untrusted then
    const forgerOnly = await verifyPackage(dir, { trusted: [join(forger, 'c.pem')] });
    expect(forgerOnly.seal).toMatchObject({ state: 'valid', trusted: true });
    expect(forgerOnly.problems.map((p) => `${p.code} ${p.detail.includes(f('manifest.r1.p7s'))}`)).toEqual(['seal-untrusted true']);
    expect((await verifyPackage(dir, { trusted: [join(forger, 'c.pem'), appliance] })).ok).toBe(true);
    expect(abk(['verify', dir, '--trust', join(forger, 'no-such.pem')]).code).toBe(2);
  });

  it('the seal removed: a failure when a signer is trusted or its certificate is left; reported as none otherwise', async () => {
    const dir = copy();
    rmSync(join(dir, f('manifest.p7s')));
    expect((await verifyPackage(dir)).problems.map((p) => p.code)).toEqual(['seal-missing']);
    const appliance = join(sealed, f('signer.pem'));
    rmSync(join(dir, f('signer.pem')));
    const bare = await verifyPackage(dir);
    expect(bare.seal?.state).toBe('missing');
    expect(bare.ok).toBe(true); // as a package made before sealing would be
    expect((await verifyPackage(dir, { trusted: [appliance] })).problems.map((p) => p.code)).toEqual(['seal-missing']);
    expect(abk(['verify', dir], { ABK_LANG: 'kk' }).stdout).toContain('мөр: жоқ');
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
    // revision 1's seal is kept with it and checked against it
    const other = copy();
    flipByte(join(other, f('manifest.r1.p7s')), 40);
    const kept = await verifyPackage(other);
    expect(notOk(kept)).toEqual([{ name: f('manifest.r1.p7s'), status: 'changed' }]);
    expect(kept.problems.map((p) => p.code)).toEqual(['seal-invalid']);
    expect(kept.problems[0]!.detail).toContain(f('manifest.r1.p7s'));
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

  it('the seal\'s key unusable: the protocol is still made, the secretary is told, and abk verify reports the manifest unsealed', async () => {
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    const withSeal = (seal: Record<string, string>): string => {
      const path = join(court.dir, `config-${n++}.json`);
      writeFileSync(path, JSON.stringify({ ...config, seal }));
      return path;
    };
    // no openssl where the configuration says
    const noOpenssl = abk(['protocol', base, '--config', withSeal({ keyDir: join(court.dir, 'keys-a'), openssl: join(court.dir, 'no-openssl') })]);
    expect(noOpenssl.stderr).toContain('manifest NOT sealed');
    expect(noOpenssl.stderr).toContain('protocol from');
    expect(noOpenssl.code).toBe(4);
    const unsealed = await verifyPackage(sealed);
    expect(notOk(unsealed)).toEqual([]); // the earlier revision's seal is kept with it and still checks
    expect(unsealed.problems.map((p) => p.code)).toEqual(['seal-missing']);
    expect(abk(['verify', sealed]).code).toBe(1);
    // a certificate IT put in the key folder that is not the key's
    const keys = join(court.dir, 'keys-b');
    mkdirSync(keys);
    spawnSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(keys, 'appliance.key')]);
    cpSync(join(sealed, f('signer.pem')), join(keys, 'appliance.crt'));
    const mismatched = abk(['protocol', base, '--config', withSeal({ keyDir: keys })]);
    expect(mismatched.stderr).toContain('is not the certificate of appliance.key');
    expect(mismatched.code).toBe(4);
    // the appliance's own key again: sealed, and the whole package verifies
    const again = abk(['protocol', base, '--config', configPath]);
    expect(again.stderr).not.toContain('NOT sealed');
    expect(again.code, again.stderr).toBe(0);
    const v = await verifyPackage(sealed, { trusted: [join(sealed, f('signer.pem'))] });
    expect(v.problems).toEqual([]);
    expect(v.seal?.state).toBe('valid');
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
