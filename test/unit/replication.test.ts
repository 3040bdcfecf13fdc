import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/engine/db/database.js';
import { fingerprint, keyMatches, parsePinned } from '../../src/engine/replication/host-keys.js';
import { batchPath, findSftp, hostKeyAlgorithms, knownHostsLine, sftpArgs } from '../../src/engine/replication/openssh-transfer.js';
import { readPrivateKey } from '../../src/engine/replication/private-key.js';
import { remotePathOf, shellQuote } from '../../src/engine/replication/remote-path.js';
import { ReplicationOutbox } from '../../src/engine/replication/replication-outbox.js';
import { backoffMs } from '../../src/engine/replication/server-worker.js';
import { finishedSitting } from '../helpers/replication.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-repl-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a real ed25519 public key (ssh-keygen), as a known_hosts line shows it
const ED = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const blob = Buffer.from(ED.split(' ')[1]!, 'base64');

describe('remote paths', () => {
  it('mirror the local folders below the server root', () => {
    expect(remotePathOf('/srv/abk/almaty', '2026/7599-24-00-2_1234/base', 'base_mic01_judge.wav')).toBe('/srv/abk/almaty/2026/7599-24-00-2_1234/base/base_mic01_judge.wav');
    expect(remotePathOf('archive/', '2026/Қасымов-іс/b', 'b.wav')).toBe('archive/2026/Қасымов-іс/b/b.wav');
  });

  it('can never leave the root, whatever a folder or file is called', () => {
    for (const [rel, file] of [['2026/../../etc', 'x'], ['2026/c/b', '..'], ['2026//b', 'x'], ['2026/c/b', 'a/b'], ['2026/c\\..\\b', 'x'], ['2026/c/b', 'x\u0000y'], ['2026/./b', 'x']]) {
      expect(() => remotePathOf('/srv/abk', rel!, file!), `${rel}/${file}`).toThrow(/could leave the server's folder/);
    }
  });

  it('quotes a path as one shell argument', () => {
    expect(shellQuote("/a b/it's")).toBe(`'/a b/it'\\''s'`);
  });
});

describe('pinned host keys', () => {
  it('reads known_hosts lines, bare keys and fingerprints, and matches the key', () => {
    const parsed = parsePinned([`[10.0.0.5]:22 ${ED}`, ED, fingerprint(blob)]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    for (const p of parsed.value) expect(keyMatches([p], blob)).toBe(true);
    expect(keyMatches(parsed.value, Buffer.from(blob).fill(1, 20, 30))).toBe(false);
    expect(fingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses a line that is not a key rather than skipping it', () => {
    const r = parsePinned([ED, 'ssh-ed25519 not-base64!']);
    expect(r.ok).toBe(false);
    expect(parsePinned(['ssh-rsa ' + ED.split(' ')[1]]).ok).toBe(false); // the blob says ed25519
  });
});

describe('retries', () => {
  it('back off 5 s, 10 s, 20 s … up to the cap, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 300, 1))).toEqual([5000, 10000, 20000, 40000]);
    expect(backoffMs(30, 300, 1)).toBe(300_000);
    expect(backoffMs(1, 300, 0)).toBe(2500);
  });
});

describe('the private key', () => {
  it('is refused when others can read it, with the command that fixes it', () => {
    const path = join(dir, 'key');
    writeFileSync(path, 'x');
    chmodSync(path, 0o640);
    expect(() => readPrivateKey(path, 'linux')).toThrow(`chmod 600 ${path}`);
    chmodSync(path, 0o600);
    expect(readPrivateKey(path, 'linux').toString()).toBe('x');
    expect(() => readPrivateKey(join(dir, 'none'), 'linux')).toThrow(/ssh-keygen -t ed25519/);
  });
});

describe('the outbox', () => {
  it('holds one job per file per server, enqueues a folder once, and a changed file again', () => {
    const root = join(dir, 'rec');
    const sitting = finishedSitting(root, '2026/c/b', { 'b.wav': 100, 'b_protocol.pdf': 50 });
    const db = openDatabase(join(dir, 'o.sqlite'));
    const outbox = new ReplicationOutbox(db);
    expect(outbox.enqueueSitting(root, sitting, ['primary', 'reserve'])).toBe(6); // two files and MD5SUMS, twice
    expect(outbox.enqueueSitting(root, sitting, ['primary', 'reserve'])).toBe(0);
    for (const j of outbox.jobs()) outbox.verified(j.id, j.bytes);
    // the protocol made again: it and MD5SUMS are to be sent again, the WAV is not
    const sums = readFileSync(join(sitting, 'MD5SUMS'), 'utf8').replace(/^[0-9a-f]{32}(?= {2}b_protocol\.pdf)/m, '1'.repeat(32));
    rmSync(join(sitting, 'MD5SUMS'), { force: true });
    writeFileSync(join(sitting, 'MD5SUMS'), sums);
    expect(outbox.enqueueSitting(root, sitting, ['primary', 'reserve'])).toBe(4);
    expect(outbox.countsBySitting().get('b')).toEqual([{ server: 'primary', verified: 1, total: 3 }, { server: 'reserve', verified: 1, total: 3 }]);
    expect(outbox.due('primary')?.relDir).toBe('2026/c/b');
    db.close();
  });
});

describe('OpenSSH sftp as the transfer client', () => {
  const target = { host: '10.1.2.3', port: 2222, username: 'abk', privateKeyPath: '/k/id_ed25519', hostKey: Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]) };

  it('trusts only the host key the ssh2 connection verified, reads no user configuration, and never asks for a password', () => {
    const args = sftpArgs(target, { knownHosts: '/t/kh', config: '/t/cfg' }, undefined);
    const opt = (name: string): string | undefined => args.map((a, i) => (a === '-o' && args[i + 1]!.startsWith(`${name}=`) ? args[i + 1]!.slice(name.length + 1) : undefined)).find(Boolean);
    expect(opt('StrictHostKeyChecking')).toBe('yes');
    expect(opt('UserKnownHostsFile')).toBe('"/t/kh"');
    expect(opt('GlobalKnownHostsFile')).toBe('"/t/kh"');
    expect(opt('HostKeyAlgorithms')).toBe('ssh-ed25519');
    expect(opt('BatchMode')).toBe('yes');
    expect(opt('PasswordAuthentication')).toBe('no');
    expect(args.slice(args.indexOf('-F'), args.indexOf('-F') + 2)).toEqual(['-F', '/t/cfg']);
    expect(args.at(-1)).toBe('abk@10.1.2.3');
    expect(args).not.toContain('-l');
    expect(knownHostsLine(target)).toBe(`[10.1.2.3]:2222 ssh-ed25519 ${target.hostKey.toString('base64')}\n`);
    expect(knownHostsLine({ ...target, port: 22 })).toMatch(/^10\.1\.2\.3 ssh-ed25519 /);
    expect(hostKeyAlgorithms('ssh-rsa')).toBe('rsa-sha2-512,rsa-sha2-256,ssh-rsa');
  });

  it('caps in Kbit/s as sftp -l takes it', () => {
    const args = sftpArgs(target, { knownHosts: 'k', config: 'c' }, 4096);
    expect(args[args.indexOf('-l') + 1]).toBe('33554'); // 4096 KiB/s = 33554.432 kbit/s
  });

  it('quotes a path in the batch so that a quote, a backslash or a glob character in it is taken as itself', () => {
    expect(batchPath('/r/2026/Қасымов "А" [1]*?.wav')).toBe('"/r/2026/Қасымов \\"А\\" \\[1\\]\\*\\?.wav"');
    expect(batchPath('C:\\rec\\a.wav')).toBe('"C:\\\\rec\\\\a.wav"');
  });

  it('finds sftp as configured, else on the PATH, else none', () => {
    expect(findSftp('/opt/ssh/sftp')).toBe('/opt/ssh/sftp');
    expect(findSftp(undefined, { PATH: '/nonexistent' })).toBeUndefined();
    expect(findSftp(undefined, { PATH: `/nonexistent:${dirname(execFileSync('sh', ['-c', 'command -v sftp'], { encoding: 'utf8' }).trim())}` })).toMatch(/\/sftp$/);
  });
});
