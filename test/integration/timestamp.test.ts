import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/load-config.js';
import { LateStamps } from '../../src/engine/api/late-stamps.js';
import { openDatabase } from '../../src/engine/db/database.js';
import { verifyPackage } from '../../src/engine/package/verify.js';
import { databasePath } from '../../src/engine/sittings/sitting-session.js';
import { SittingStore } from '../../src/engine/sittings/sitting-store.js';
import type { AppError } from '../../src/shared/result.js';
import { abk, writableCopy } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { TestTsa } from '../helpers/tsa.js';
import { pdfText } from '../helpers/documents.js';

const court = new TestCourtroom();

let tsa: TestTsa;
let other: TestTsa;
let sealed: string;
let base: string;
let root: string;
let tsaConfig: string;
let n = 0;
const f = (suffix: string): string => `${base}_${suffix}`;
const manifestOf = (): { revision: number; files: { name: string; kind: string; revision?: number }[] } => JSON.parse(readFileSync(join(sealed, f('manifest.json')), 'utf8'));
/** `openssl ts -verify` run as VERIFY.txt tells anyone to, with the TSA's CA for <TSA.pem>. */
function stockStampCheck(dir: string, tsr = f('manifest.tsr'), p7s = f('manifest.p7s')): { status: number | null; out: string } {
  const line = readFileSync(join(dir, 'VERIFY.txt'), 'utf8').split('\n').find((l) => l.includes('openssl ts -verify'))!;
  const cmd = line.slice(line.indexOf('openssl ')).trim().split(/\s+/)
    .map((a) => (a === '<TSA.pem>' ? tsa.caPem : a === f('manifest.tsr') ? tsr : a === f('manifest.p7s') ? p7s : a));
  const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd: dir, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}
/** What the protocol's PDF says of the seal, whitespace gone (lines wrap), and the signer's fingerprint as stock openssl gives it. */
function sealInProtocol(): { text: string; fingerprint: string } {
  const text = pdfText(join(sealed, f('protocol.pdf'))).replace(/\s+/g, '');
  const fp = spawnSync('openssl', ['x509', '-in', join(sealed, f('signer.pem')), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
  return { text, fingerprint: fp.stdout.trim().replace(/^.*=/, '') };
}
const squeeze = (s: string): string => s.replace(/\s+/g, '');
const copy = (): string => writableCopy(sealed, join(court.dir, `copy-${n++}`));

beforeAll(async () => {
  tsa = await TestTsa.start('Test TSA');
  other = await TestTsa.start('Other TSA');
  const out = join(court.dir, 'demo');
  const r = abk(['demo', '--seconds', '4', '--channels', '2', '--out', out, '--case', 'Іс-7/қ'], court.demoEnv('vc'));
  expect(r.code, r.stderr).toBe(0);
  sealed = r.stdout.trim().split('\n').at(-1)!;
  base = sealed.split('/').at(-1)!;
  const config = JSON.parse(readFileSync(join(out, 'demo-config.json'), 'utf8')) as { recordingsRoot: string };
  root = config.recordingsRoot;
  tsaConfig = join(court.dir, 'tsa-config.json');
  writeFileSync(tsaConfig, JSON.stringify({ ...config, seal: { tsa: { url: tsa.url, timeoutSeconds: 5 } } }));
}, 180_000);
afterAll(async () => {
  await tsa.down();
  await other.down();
  await court.close();
});

describe('the seal\'s RFC 3161 timestamp, from a real TSA on loopback', () => {
  it('a seal made without a TSA gets its timestamp from abk finalize; the manifest is untouched and stock openssl ts -verify agrees', async () => {
    expect(existsSync(join(sealed, f('manifest.tsr')))).toBe(false); // the demo has no TSA
    expect(sealInProtocol().text).toContain(squeeze('Уақыт белгілері қызметі бапталмаған: мөрде уақыт белгісі жоқ.')); // and its protocol says so
    const manifest = readFileSync(join(sealed, f('manifest.json')));
    const r = abk(['finalize', base, '--config', tsaConfig]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('NOT timestamped');
    expect(existsSync(join(sealed, f('manifest.tsr')))).toBe(true);
    expect(readFileSync(join(sealed, f('manifest.json')))).toEqual(manifest);
    expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: sealed }).status).toBe(0);
    const v = await verifyPackage(sealed, { trustedTsa: [tsa.caPem] });
    expect(v.problems).toEqual([]);
    expect(v.timestamp).toMatchObject({ state: 'valid', trusted: true });
    const t = v.timestamp as { epoch: number; tsa: string };
    expect(Math.abs(t.epoch * 1000 - Date.now())).toBeLessThan(120_000);
    expect(t.tsa).toContain('Test TSA');
    const stock = stockStampCheck(sealed);
    expect(stock.status, stock.out).toBe(0);
    expect(stock.out).toContain('Verification: OK');
    const cliOut = abk(['verify', sealed, '--trust-tsa', tsa.caPem]);
    expect(cliOut.code, cliOut.stdout).toBe(0);
    expect(cliOut.stdout).toContain('timestamp: valid, by a trusted TSA');
  });

  it('abk protocol with the TSA up stamps the new revision, and the previous timestamp is kept with its revision', async () => {
    const issued = tsa.issued;
    const r = abk(['protocol', base, '--config', tsaConfig]);
    expect(r.code, r.stderr).toBe(0);
    expect(tsa.issued).toBe(issued + 1);
    const m = manifestOf();
    expect(m.revision).toBe(3);
    expect(m.files.filter((x) => x.kind === 'manifest-revision' && x.revision === 2).map((x) => x.name).sort())
      .toEqual([f('manifest.r2.json'), f('manifest.r2.p7s'), f('manifest.r2.tsr')]);
    const v = await verifyPackage(sealed, { trustedTsa: [tsa.caPem] });
    expect(v.problems).toEqual([]);
    expect(stockStampCheck(sealed, f('manifest.r2.tsr'), f('manifest.r2.p7s')).status).toBe(0);
    // the protocol was made from revision 2, stamped by now: it says so, with the signer's fingerprint
    const said = sealInProtocol();
    expect(said.text).toContain(squeeze(`SHA-256 ізі: ${said.fingerprint}`));
    expect(said.text).toContain(squeeze('RFC 3161 уақыт белгісі уақыт белгілері қызметінен алынды.'));
    expect(said.text).not.toContain(squeeze('Уақыт белгісі жоқ'));
  });

  it('a timestamp moved from another revision is NOT OVER THIS SEAL, a garbled one is invalid, and stock openssl agrees', async () => {
    const dir = copy();
    cpSync(join(dir, f('manifest.r2.tsr')), join(dir, f('manifest.tsr')));
    const moved = await verifyPackage(dir);
    expect(moved.ok).toBe(false);
    expect(moved.problems.map((p) => p.code)).toEqual(['timestamp-invalid']);
    expect(moved.problems[0]!.detail).toContain('imprint');
    expect(moved.files.filter((x) => x.status !== 'ok')).toEqual([]); // the timestamp is not a listed file: only its check tells
    const stock = stockStampCheck(dir);
    expect(stock.status).not.toBe(0);
    expect(stock.out).toContain('imprint mismatch');
    expect(abk(['verify', dir], { ABK_LANG: 'ru' }).stdout).toContain('НЕ ОТНОСИТСЯ К ЭТОЙ ПЕЧАТИ');
    writeFileSync(join(dir, f('manifest.tsr')), Buffer.from('not a timestamp reply'));
    expect((await verifyPackage(dir)).problems.map((p) => p.code)).toEqual(['timestamp-invalid']);
    // positive control: the untouched sitting
    expect((await verifyPackage(sealed)).ok).toBe(true);
  });

  it('a timestamp by a TSA not trusted is named; trusting the right TSA passes', async () => {
    const untrusted = await verifyPackage(sealed, { trustedTsa: [other.caPem] });
    expect(untrusted.ok).toBe(false);
    expect(new Set(untrusted.problems.map((p) => p.code))).toEqual(new Set(['timestamp-untrusted']));
    expect(untrusted.problems[0]!.detail).toContain('Test TSA');
    expect(abk(['verify', sealed, '--trust-tsa', other.caPem]).code).toBe(1);
    expect((await verifyPackage(sealed, { trustedTsa: [other.caPem, tsa.caPem] })).ok).toBe(true);
    expect(abk(['verify', sealed, '--trust-tsa', join(court.dir, 'no-such.pem')]).code).toBe(2);
  });

  it('TSA down: the protocol is made and sealed without a timestamp, and the secretary is told; the engine adds it when the TSA is back', async () => {
    await tsa.down();
    const r = abk(['protocol', base, '--config', tsaConfig]);
    expect(r.code, r.stderr).toBe(0); // the seal stands; only its timestamp waits
    expect(r.stderr).toContain('seal NOT timestamped');
    expect(r.stderr).toContain('did not answer');
    expect(manifestOf().revision).toBe(4);
    expect(existsSync(join(sealed, f('manifest.tsr')))).toBe(false); // revision 3's went with revision 3
    expect(existsSync(join(sealed, f('manifest.r3.tsr')))).toBe(true);
    const v = await verifyPackage(sealed);
    expect(v.ok).toBe(true);
    expect(v.timestamp?.state).toBe('missing');
    expect((await verifyPackage(sealed, { trustedTsa: [tsa.caPem] })).problems.map((p) => p.code)).toEqual(['timestamp-missing']);
    // made again while the TSA is still down, from revision 4 (not stamped): the protocol says the seal has no timestamp yet
    expect(abk(['protocol', base, '--config', tsaConfig]).code).toBe(0);
    expect(manifestOf().revision).toBe(5);
    const said = sealInProtocol();
    expect(said.text).toContain(squeeze('Уақыт белгісі жоқ: уақыт белгілері қызметі жауап бермеді; қызмет жауап бергенде белгі қосылады.'));
    expect(said.text).toContain(squeeze(`SHA-256 ізі: ${said.fingerprint}`));
    expect(said.text).not.toContain(squeeze('уақыт белгілері қызметінен алынды'));

    // the engine's late stamping, on the demo's real database: an alarm while the TSA is down, cleared once stamped
    const db = openDatabase(databasePath(root));
    try {
      const store = new SittingStore(db);
      const config = loadConfig(tsaConfig);
      const raised: { key: string; error: AppError }[] = [];
      const cleared: string[] = [];
      const changed: string[] = [];
      const stamps = new LateStamps(store, () => config, { raise: (key, _s, error) => raised.push({ key, error }), clear: (p) => cleared.push(p), changed: (d) => changed.push(d) });
      await stamps.round();
      const id = store.list().find((row) => row.base === base)!.id;
      expect(raised.map((x) => x.key)).toEqual([`timestamp/${id}`]);
      expect(raised[0]!.error.message.kk).toContain('уақыт белгісі');
      expect(raised[0]!.error.message.ru).toContain('метки времени');
      expect(changed).toEqual([]);
      await tsa.up();
      await stamps.round();
      expect(changed).toEqual([sealed]); // the new file goes to the servers
      expect(cleared).toContain(`timestamp/${id}`);
      await stamps.round();
      expect(changed).toEqual([sealed]); // stamped once, not again
      await stamps.stop();
    } finally {
      db.close();
    }
    const after = await verifyPackage(sealed, { trustedTsa: [tsa.caPem] });
    expect(after.problems).toEqual([]);
    expect(stockStampCheck(sealed).status).toBe(0);
  });
});
