import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/engine/package/verify.js';
import { openDatabase, type Db } from '../../src/engine/db/database.js';
import { opensshClientsStarted } from '../../src/engine/replication/openssh-transfer.js';
import { Replicator } from '../../src/engine/replication/replicator.js';
import { CHUNK, WINDOW } from '../../src/engine/replication/sftp-link.js';
import { databasePath } from '../../src/engine/sittings/sitting-session.js';
import type { AbkConfig } from '../../src/shared/config.js';
import { finishedSitting, RecordingSink, replicationConfig, until } from '../helpers/replication.js';
import { makeKey, TestSshd } from '../helpers/sshd.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-repl-'));
const key = makeKey(join(dir, 'id_ed25519'));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function servers(opts: { reserveUp?: boolean } = {}): Promise<{ primary: TestSshd; reserve: TestSshd }> {
  const here = join(dir, `s${++n}`);
  const primary = await TestSshd.create(join(here, 'primary'), key.publicLine);
  const reserve = await TestSshd.create(join(here, 'reserve'), key.publicLine, { start: opts.reserveUp ?? true });
  cleanup.push(() => { primary.kill(); reserve.kill(); });
  return { primary, reserve };
}

function replicator(root: string, replication: Partial<AbkConfig['replication']>): { r: Replicator; sink: RecordingSink; db: Db; config: AbkConfig } {
  const db = openDatabase(databasePath(root));
  const sink = new RecordingSink();
  const config = replicationConfig(root, { privateKeyPath: key.privateKeyPath, ...replication });
  const r = new Replicator(db, () => config, sink);
  cleanup.push(async () => { await r.stop(); db.close(); });
  return { r, sink, db, config };
}

const verifiedCount = (r: Replicator, server: string): number => r.outbox.jobs().filter((j) => j.server === server && j.state === 'verified').length;
const allOf = (r: Replicator, server: string): number => r.outbox.jobs().filter((j) => j.server === server).length;
/** `md5sum -c` run in the server's copy of the folder: the order's check, by the standard tool. */
const md5check = (s: TestSshd, rel: string): string => execFileSync('md5sum', ['-c', 'MD5SUMS'], { cwd: s.path(rel), encoding: 'utf8' });
const audit = (db: Db, type: string): Record<string, unknown>[] =>
  (db.prepare('SELECT payload FROM events WHERE type = ? ORDER BY id').all(type) as { payload: string }[]).map((e) => JSON.parse(e.payload) as Record<string, unknown>);

describe('replication to two real OpenSSH servers', () => {
  it.each(['openssh', 'ssh2'] as const)('copies every file of a sitting found in the recordings root to both servers, verified, once (bytes moved by %s)', async (transfer) => {
    const { primary, reserve } = await servers();
    const root = join(dir, `both-${transfer}`);
    const rel = '2026/7599-24-00-2_1234/7599-24-00-2_1234_2026-11-23_10-30';
    finishedSitting(root, rel, { 'a_mic01_judge.wav': 3_000_000, 'a_mix.mp3': 700_000, 'a_manifest.json': 2_000, 'empty.txt': 0 });
    const { r, sink, db } = replicator(root, { servers: [primary.entry('primary'), reserve.entry('reserve')], transfer });
    const clients = opensshClientsStarted();
    await r.start();
    await until('both servers verified', () => verifiedCount(r, 'primary') === 5 && verifiedCount(r, 'reserve') === 5);
    // OpenSSH's client: one per server for all five files (one connection, not five); ssh2: none
    expect(opensshClientsStarted() - clients).toBe(transfer === 'openssh' ? 2 : 0);
    for (const s of [primary, reserve]) {
      expect(md5check(s, rel)).toMatch(/a_mic01_judge.wav: OK/);
      expect(readdirSync(s.path(rel)).sort()).toEqual(['MD5SUMS', 'a_manifest.json', 'a_mic01_judge.wav', 'a_mix.mp3', 'empty.txt']);
      expect(statSync(s.path(`${rel}/a_mix.mp3`)).mode & 0o777).toBe(0o444);
    }
    expect([...sink.alarms.keys()]).toEqual([]);
    expect(r.replicasOfDir(rel)).toEqual([{ server: 'primary', verified: 5, total: 5 }, { server: 'reserve', verified: 5, total: 5 }]);
    expect(audit(db, 'replica-verified')).toHaveLength(10);
    // found again (a restart: the watcher reports every folder at start): nothing new
    await r.stop();
    await r.start();
    expect(r.enqueue(join(root, ...rel.split('/')))).toBe(0);
    expect(allOf(r, 'primary')).toBe(5);
  });

  it('catches the reserve up when it comes back, without delaying the primary', async () => {
    const { primary, reserve } = await servers({ reserveUp: false });
    const root = join(dir, 'late');
    const rel = '2026/case/late-sitting';
    finishedSitting(root, rel, { 'b_mic01.wav': 2_000_000, 'b_mic02.wav': 2_000_000 });
    const { r, sink } = replicator(root, { servers: [primary.entry('primary'), reserve.entry('reserve')] });
    await r.start();
    await until('primary verified', () => verifiedCount(r, 'primary') === 3);
    expect(verifiedCount(r, 'reserve')).toBe(0);
    const down = r.status().servers.find((s) => s.id === 'reserve')!;
    expect(down.state).toBe('waiting');
    expect(down.lastError?.message.en).toMatch(/ECONNREFUSED/);
    expect([...sink.alarms.keys()].some((k) => k.startsWith('replication/reserve/'))).toBe(true);
    await reserve.start();
    await until('reserve caught up by its own retry', () => verifiedCount(r, 'reserve') === 3, 30_000);
    expect(md5check(reserve, rel)).toMatch(/b_mic02.wav: OK/);
    expect([...sink.alarms.keys()].filter((k) => k.startsWith('replication/reserve/'))).toEqual([]);
  });

  it.each(['openssh', 'ssh2'] as const)('resumes a file from what reached the server when the server is killed mid-file (bytes moved by %s)', async (transfer) => {
    const { primary } = await servers();
    const root = join(dir, `cut-${transfer}`);
    const rel = '2026/case/cut-sitting';
    const size = 48 * 1048576;
    finishedSitting(root, rel, { 'c_mic01.wav': size });
    const { r, db } = replicator(root, { servers: [primary.entry('primary')], maxKiBps: 8192, transfer });
    await r.start();
    const part = primary.path(`${rel}/c_mic01.wav.abkpart`);
    await until('a third of the file on the server', () => existsSync(part) && statSync(part).size > size / 3);
    primary.kill();
    const arrived = statSync(part).size;
    await new Promise((res) => setTimeout(res, 500));
    await primary.start();
    await until('verified after the cut', () => verifiedCount(r, 'primary') === 2, 60_000);
    expect(md5check(primary, rel)).toMatch(/c_mic01.wav: OK/);
    const done = audit(db, 'replica-verified').find((e) => e.file === 'c_mic01.wav')!;
    // sending went on from the server's size, less at most the chunks that were in flight
    expect(done.resumedFrom).toBeGreaterThan(arrived - (WINDOW + 1) * CHUNK);
    expect(done.resumedFrom).toBeLessThanOrEqual(arrived);
    expect(done.sentBytes).toBe(size - (done.resumedFrom as number));
    const job = r.outbox.jobs().find((j) => j.file === 'c_mic01.wav')!;
    expect(job.sentBytes).toBeLessThan(size + (WINDOW + 2) * CHUNK);
  });

  it('a recording starting mid-file slows OpenSSH\'s client to the cap at once, from what reached the server; lifted, it goes on; the copy verifies', async () => {
    const { primary } = await servers();
    const root = join(dir, 'cap');
    const rel = '2026/case/cap-sitting';
    const size = 64 * 1048576;
    finishedSitting(root, rel, { 'k_mic01.wav': size });
    const { r, db } = replicator(root, { servers: [primary.entry('primary')], maxKiBps: 16384, whileRecordingKiBps: 1024, transfer: 'openssh' });
    await r.start();
    const part = primary.path(`${rel}/k_mic01.wav.abkpart`);
    const growth = async (ms: number): Promise<number> => { const a = statSync(part).size; await new Promise((res) => setTimeout(res, ms)); return statSync(part).size - a; };
    await until('a tenth of the file on the server', () => existsSync(part) && statSync(part).size > size / 10);
    // the partial file on the server never shrinks: each restart goes on from it (reput), never from zero
    let shrank = 0;
    let last = 0;
    const sampler = setInterval(() => { const now = existsSync(part) ? statSync(part).size : size; if (now < last) shrank++; last = now; }, 50);
    cleanup.push(() => clearInterval(sampler));
    const before = await growth(2000); // positive control: at 16 MiB/s
    r.setRecording(true);
    await new Promise((res) => setTimeout(res, 1500)); // the client restarted at the cap
    const capped = await growth(3000);
    expect(before).toBeGreaterThan(2 * 4 * 1048576);
    expect(capped).toBeLessThan(3 * 1.5 * 1048576); // 1 MiB/s, with OpenSSH's burst
    expect(capped).toBeGreaterThan(0);
    r.setRecording(false);
    await until('verified once the cap is lifted', () => verifiedCount(r, 'primary') === 2, 60_000);
    expect(md5check(primary, rel)).toMatch(/k_mic01.wav: OK/);
    const done = audit(db, 'replica-verified').find((e) => e.file === 'k_mic01.wav')!;
    clearInterval(sampler);
    expect(shrank).toBe(0);
    expect(done.resumedFrom).toBe(0);
    expect(done.sentBytes).toBe(size);
    expect(r.outbox.jobs().find((j) => j.file === 'k_mic01.wav')!.sentBytes).toBe(size);
  });

  it('sends again a copy altered on the server, found when the copies are checked', async () => {
    const { primary, reserve } = await servers();
    const root = join(dir, 'altered');
    const rel = '2026/case/altered-sitting';
    finishedSitting(root, rel, { 'd_mic01.wav': 1_000_000, 'd_mix.mp3': 300_000 });
    const { r, sink, db } = replicator(root, { servers: [primary.entry('primary'), reserve.entry('reserve')] });
    await r.start();
    await until('verified', () => verifiedCount(r, 'primary') === 3 && verifiedCount(r, 'reserve') === 3);
    const copy = primary.path(`${rel}/d_mic01.wav`);
    chmodSync(copy, 0o644);
    writeFileSync(copy, Buffer.from('tampered'), { flag: 'r+' });
    r.runNow(true);
    await until('the altered copy found', () => audit(db, 'replica-reopened').length === 1);
    expect(audit(db, 'replica-reopened')[0]).toMatchObject({ server: 'primary', file: 'd_mic01.wav', reason: 'altered' });
    expect(sink.raised.some((a) => a.error.code === 'copy-reopened')).toBe(true);
    await until('sent again and verified', () => verifiedCount(r, 'primary') === 3 && audit(db, 'replica-verified').length === 7);
    expect(md5check(primary, rel)).toMatch(/d_mic01.wav: OK/);
    expect([...sink.alarms.keys()]).toEqual([]);
  });

  it('sends nothing to a server that presents a different host key, with a clear alarm, and goes on once IT pins the new key', async () => {
    const { primary, reserve } = await servers({ reserveUp: false });
    const pinned = reserve.hostKey;
    reserve.newHostKey(); // the reserve "replaced": a different key than the one pinned
    await reserve.start();
    const root = join(dir, 'hostkey');
    const rel = '2026/case/hostkey-sitting';
    finishedSitting(root, rel, { 'e_mic01.wav': 500_000 });
    const { r, sink, config } = replicator(root, { servers: [primary.entry('primary'), reserve.entry('reserve', [pinned])] });
    await r.start();
    await until('primary verified', () => verifiedCount(r, 'primary') === 2);
    await until('reserve blocked', () => r.status().servers.find((s) => s.id === 'reserve')!.state === 'blocked');
    const alarm = sink.alarms.get('replication/reserve/host-key-changed')!;
    expect(alarm.message.en).toMatch(/different host key \(ssh-ed25519 SHA256:/);
    expect(alarm.message.kk).toMatch(/хост кілтін/);
    expect(readdirSync(reserve.root)).toEqual([]);
    // IT pins the new key: the reserve goes on
    config.replication.servers[1]!.hostKeys = [reserve.hostKey];
    await r.reconfigure();
    await until('reserve verified', () => verifiedCount(r, 'reserve') === 2);
    expect(md5check(reserve, rel)).toMatch(/OK/);
  });

  it('holds back a folder whose name could leave the server root, and copies the others', async () => {
    const { primary } = await servers();
    const root = join(dir, 'unsafe');
    finishedSitting(root, '2026/a\\..\\b/unsafe', { 'u.wav': 1000 });
    const { r, sink } = replicator(root, { servers: [primary.entry('primary')] });
    await r.start();
    const unsafeAlarm = (): boolean => [...sink.alarms.values()].some((e) => e.code === 'remote-path-unsafe');
    await until('the unsafe folder refused', unsafeAlarm);
    // a sitting finished afterwards is copied (the watcher finds it) and its success does not clear the other's alarm
    finishedSitting(root, '2026/case/safe', { 's.wav': 1000 });
    await until('the safe sitting verified', () => r.replicasOfDir('2026/case/safe')[0]!.verified === 2);
    expect(r.outbox.jobs().filter((j) => j.relDir.includes('unsafe')).every((j) => j.state === 'pending' && /could leave the server's folder/.test(j.lastError ?? ''))).toBe(true);
    expect(unsafeAlarm()).toBe(true);
    expect(r.status().servers[0]!.state).not.toBe('blocked');
    expect(readdirSync(primary.root)).toEqual(['2026']);
    expect(readdirSync(join(primary.root, '2026'))).toEqual(['case']);
  });

  it('verifies by reading the copy back from a server that runs no commands (SFTP only)', async () => {
    const server = await TestSshd.create(join(dir, 'sftp-only'), key.publicLine, { sftpOnly: true });
    cleanup.push(() => server.kill());
    const root = join(dir, 'readback');
    const rel = '2026/case/readback';
    finishedSitting(root, rel, { 'h_mic01.wav': 5_000_000 });
    const { r, db } = replicator(root, { servers: [server.entry('archive')] });
    await r.start();
    await until('verified', () => verifiedCount(r, 'archive') === 2);
    expect(audit(db, 'replica-verified').map((e) => e.how)).toEqual(['read-back', 'read-back']);
    expect(md5check(server, rel)).toMatch(/h_mic01.wav: OK/);
  });

  it('refuses a server with no pinned key, and a private key others can read, naming the fix', async () => {
    const { primary } = await servers();
    const root = join(dir, 'unpinned');
    finishedSitting(root, '2026/case/unpinned', { 'f.wav': 1000 });
    const { r, sink } = replicator(root, { servers: [primary.entry('primary', [])] });
    await r.start();
    await until('blocked', () => sink.alarms.has('replication/primary/host-key-unknown'));
    expect(sink.alarms.get('replication/primary/host-key-unknown')!.message.en).toMatch(/abk replicate trust primary/);
    expect(readdirSync(primary.root)).toEqual([]);
    await r.stop();

    const loose = join(dir, 'loose_key');
    writeFileSync(loose, '-----BEGIN OPENSSH PRIVATE KEY-----\n', { mode: 0o644 });
    chmodSync(loose, 0o644);
    const second = replicator(root, { servers: [primary.entry('primary')], privateKeyPath: loose });
    await second.r.start();
    await until('blocked on the key', () => second.sink.alarms.has('replication/primary/private-key-unsafe'));
    expect(second.sink.alarms.get('replication/primary/private-key-unsafe')!.message.en).toContain(`chmod 600 ${loose}`);
  });
});

const cli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const abk = (args: string[], timeout = 180_000): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', timeout });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('abk replicate', () => {
  it('resumes the job when the process copying is killed mid-upload and run again', async () => {
    const { primary } = await servers();
    const root = join(dir, 'killed');
    const rel = '2026/case/killed-sitting';
    const size = 64 * 1048576;
    finishedSitting(root, rel, { 'g_mic01.wav': size });
    const configPath = join(dir, 'killed.config.json');
    writeFileSync(configPath, JSON.stringify(replicationConfig(root, { privateKeyPath: key.privateKeyPath, servers: [primary.entry('primary')], maxKiBps: 8192 })));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'replicate', 'run', '--config', configPath], { stdio: 'ignore' });
    const part = primary.path(`${rel}/g_mic01.wav.abkpart`);
    await until('a quarter on the server', () => existsSync(part) && statSync(part).size > size / 4, 60_000);
    // the copying process alone, as a crash would end it (not its process group): OpenSSH's client dies with it
    process.kill(child.pid!, 'SIGKILL');
    await new Promise((res) => child.once('exit', res));
    await until('no sftp client left behind', () => spawnSync('pgrep', ['-f', `sftp .*-P ${primary.port} `]).status === 1, 5000);
    const arrived = statSync(part).size;
    await new Promise((res) => setTimeout(res, 1000));
    expect(statSync(part).size).toBe(arrived); // nothing writes to it any more
    expect(arrived).toBeLessThan(size);
    const again = abk(['replicate', 'run', '--config', configPath]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/g_mic01.wav verified \((remote|read-back), resumed at/);
    expect(md5check(primary, rel)).toMatch(/g_mic01.wav: OK/);
    const db = openDatabase(databasePath(root));
    const done = audit(db, 'replica-verified').find((e) => e.file === 'g_mic01.wav')!;
    db.close();
    expect(done.resumedFrom).toBeGreaterThan(arrived - (WINDOW + 1) * CHUNK);
    expect(done.sentBytes).toBe(size - (done.resumedFrom as number));
  });

  it('copies a sitting recorded by abk demo: trust pins the key, run copies, status says every copy is verified', async () => {
    const { primary, reserve } = await servers();
    const root = join(dir, 'demo');
    const demo = abk(['demo', '--out', root, '--seconds', '4', '--channels', '2', '--no-camera']);
    expect(demo.status, demo.stderr).toBe(0);
    const sittingDir = demo.stdout.trim().split('\n').pop()!;
    const rel = sittingDir.slice(root.length + 1);
    // the package holds everything: its working folder went after the read-back check, and replication needs none
    expect(readdirSync(join(root, '.work')).filter((f) => f !== 'libreoffice')).toEqual([]); // the protocol's LibreOffice profile stays
    const configPath = join(root, 'demo-config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as AbkConfig;
    config.replication = { ...config.replication, privateKeyPath: key.privateKeyPath, servers: [primary.entry('primary', []), reserve.entry('reserve', [])] } as AbkConfig['replication'];
    writeFileSync(configPath, JSON.stringify(config));
    const shown = abk(['replicate', 'trust', 'primary', '--config', configPath]);
    expect(shown.stdout).toMatch(/presents ssh-ed25519 SHA256:/);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).replication.servers[0].hostKeys).toEqual([]);
    for (const id of ['primary', 'reserve']) expect(abk(['replicate', 'trust', id, '--config', configPath, '--yes']).status).toBe(0);
    const run = abk(['replicate', 'run', '--config', configPath]);
    expect(run.status, run.stderr).toBe(0);
    for (const s of [primary, reserve]) {
      const check = md5check(s, rel);
      expect(check).toMatch(/_mic01_.*\.wav: OK/);
      expect(check).toMatch(/_protocol\.pdf: OK/);
      // the server's folder is a whole package: every file of the sitting is there, and abk verify finds nothing
      // missing, added or changed, and the seal checks against the appliance's certificate
      expect(readdirSync(s.path(rel)).sort()).toEqual(readdirSync(sittingDir).sort());
      const v = await verifyPackage(s.path(rel), { trusted: [join(sittingDir, readdirSync(sittingDir).find((n) => n.endsWith('_signer.pem'))!)] });
      expect(v.files.filter((f) => f.status !== 'ok')).toEqual([]);
      expect(v.seal?.state).toBe('valid');
      expect(v.ok).toBe(true);
    }
    const status = abk(['replicate', 'status', '--config', configPath]);
    expect(status.status).toBe(0);
    const files = readdirSync(sittingDir).length; // what MD5SUMS lists, the two lists, the seal, its signer and VERIFY.txt
    expect(files).toBe(readFileSync(join(sittingDir, 'MD5SUMS'), 'utf8').trim().split('\n').length + 5);
    expect(status.stdout).toContain(`${2 * files}/${2 * files} copies verified`);

    // every copy is held to the sealed manifest's MD5s: they are what the outbox expects, file by file
    const manifest = JSON.parse(readFileSync(join(sittingDir, readdirSync(sittingDir).find((x) => x.endsWith('_manifest.json'))!), 'utf8')) as { files: { name: string; md5: string }[] };
    const db = openDatabase(join(root, 'abk.sqlite'));
    const expected = db.prepare("SELECT file, md5 FROM replication_jobs WHERE server = 'primary'").all() as { file: string; md5: string }[];
    for (const f of manifest.files) expect(expected.find((j) => j.file === f.name)?.md5).toBe(f.md5);
    db.close();
    // a WAV altered on the primary: the re-verification finds it against the sealed manifest and sends it again
    const mic = manifest.files.find((x) => x.name.endsWith('_mic01_judge.wav'))!.name;
    const copy = join(primary.path(rel), mic);
    chmodSync(copy, 0o644);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(copy, bytes);
    expect((await verifyPackage(primary.path(rel))).files.find((x) => x.name === mic)?.status).toBe('changed'); // the attack landed
    const again = abk(['replicate', 'run', '--reverify', '--config', configPath]);
    expect(again.status, again.stderr).toBe(0);
    const after = await verifyPackage(primary.path(rel), { trusted: [join(sittingDir, readdirSync(sittingDir).find((n) => n.endsWith('_signer.pem'))!)] });
    expect(after.files.filter((x) => x.status !== 'ok')).toEqual([]);
    expect(after.ok).toBe(true);
    const log = openDatabase(join(root, 'abk.sqlite'));
    expect(audit(log, 'replica-reopened').map((e) => [e.server, e.file, e.reason])).toEqual([['primary', mic, 'altered']]);
    log.close();

    // a seal's timestamp the package no longer has (a new revision made while the TSA was down moves it aside) is taken off the
    // servers too: left there it is over another seal, and the server's copy would not verify
    const tsr = join(sittingDir, readdirSync(sittingDir).find((n) => n.endsWith('_manifest.json'))!.replace(/\.json$/, '.tsr'));
    writeFileSync(tsr, 'a timestamp over an earlier seal');
    expect(abk(['replicate', 'run', '--config', configPath]).status).toBe(0);
    const staleOnServer = await verifyPackage(primary.path(rel));
    expect(staleOnServer.problems.map((p) => p.code)).toEqual(['timestamp-invalid']); // it reached the server, and there it fails
    rmSync(tsr);
    const removed = abk(['replicate', 'run', '--config', configPath]);
    expect(removed.status, removed.stderr).toBe(0);
    for (const s of [primary, reserve]) {
      expect(existsSync(join(s.path(rel), basename(tsr)))).toBe(false);
      expect((await verifyPackage(s.path(rel))).ok).toBe(true);
    }
    // the recording's own files are never taken off a server, even when gone here: a server copy is their backup
    const wav = join(sittingDir, mic);
    const kept = readFileSync(wav);
    rmSync(wav);
    expect(abk(['replicate', 'run', '--config', configPath]).status).toBe(0);
    writeFileSync(wav, kept);
    expect(existsSync(join(primary.path(rel), mic))).toBe(true);
    expect(md5check(primary, rel)).toMatch(/_mic01_.*\.wav: OK/);
  });
});
