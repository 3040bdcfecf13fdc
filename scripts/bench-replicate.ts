/**
 * npm run bench:replicate
 *
 * A 1 GiB file to a real OpenSSH sshd on loopback, in the same run:
 *  - OpenSSH `sftp` putting it (aes128-gcm), the bare tool;
 *  - our upload path (SftpLink.upload: 32 pipelined 255 KiB writes at explicit
 *    offsets, the path that resumes) with the same cipher;
 *  - the whole replication job as the engine runs it (outbox, upload to
 *    .abkpart, md5sum on the server, rename), cipher as negotiated;
 *  - the same job capped as while a sitting records.
 * Prints MB/s, the ratio to sftp, and the CPU seconds used on this side
 * (the server's sshd is not counted for either). ABK_BENCH_MIB sets the size.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/engine/db/database.js';
import { RateLimiter } from '../src/engine/replication/rate-limiter.js';
import { Replicator } from '../src/engine/replication/replicator.js';
import { SftpLink } from '../src/engine/replication/sftp-link.js';
import { databasePath } from '../src/engine/sittings/sitting-session.js';
import { md5sums } from '../src/engine/finalize/manifest.js';
import { RecordingSink, replicationConfig, until } from '../test/helpers/replication.js';
import { makeKey, TestSshd } from '../test/helpers/sshd.js';

const MIB = Number(process.env.ABK_BENCH_MIB ?? 1024);
const CIPHER = 'aes128-gcm@openssh.com';
const say = (s: string): void => void process.stdout.write(`${s}\n`);
const TICK = 100; // clock ticks per second (Linux)

/** CPU seconds of this process and of its waited-for children so far. */
function cpu(): { self: number; children: number } {
  const f = readFileSync('/proc/self/stat', 'utf8').slice(readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  const u = process.cpuUsage();
  return { self: (u.user + u.system) / 1e6, children: (Number(f[13]) + Number(f[14])) / TICK };
}

const dir = mkdtempSync(join(tmpdir(), 'abk-bench-repl-'));
try {
  const key = makeKey(join(dir, 'id_ed25519'));
  const server = await TestSshd.create(join(dir, 'server'), key.publicLine);
  const root = join(dir, 'rec');
  const rel = '2026/bench/bench-sitting';
  const sittingDir = join(root, ...rel.split('/'));
  mkdirSync(sittingDir, { recursive: true });
  const file = join(sittingDir, 'bench_mic01.wav');
  const md5 = createHash('md5');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * 1048576);
  for (let i = 0; i < MIB / 16; i++) { randomFillSync(block); md5.update(block); writeSync(fd, block); }
  closeSync(fd);
  writeFileSync(join(sittingDir, 'MD5SUMS'), md5sums([{ name: 'bench_mic01.wav', md5: md5.digest('hex') }]));
  const bytes = MIB * 1048576;
  say(`bench:replicate — ${MIB} MiB to OpenSSH sshd on 127.0.0.1, ${cpus().length} cores (${cpus()[0]?.model ?? '?'})`);

  // 1. OpenSSH sftp, the bare tool
  mkdirSync(server.path('sftp'), { recursive: true });
  let c0 = cpu();
  let t0 = performance.now();
  const sftp = spawnSync('sftp', ['-q', '-b', '-', '-i', key.privateKeyPath, '-c', CIPHER, '-P', String(server.port),
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${userInfo().username}@127.0.0.1`],
  { input: `put ${file} ${server.path('sftp/bench.wav')}\n`, encoding: 'utf8' });
  const sftpS = (performance.now() - t0) / 1000;
  if (sftp.status !== 0) throw new Error(`sftp failed: ${sftp.stderr}`);
  const sftpCpu = cpu().children - c0.children;
  const sftpMBs = bytes / 1e6 / sftpS;
  say(`OpenSSH sftp put (${CIPHER}):            ${sftpMBs.toFixed(0)} MB/s  ${sftpS.toFixed(2)} s  CPU ${sftpCpu.toFixed(2)} s (sftp + ssh)`);

  // 2. our upload path, same cipher
  const config = replicationConfig(root, { privateKeyPath: key.privateKeyPath, servers: [server.entry('primary')] });
  const link = await SftpLink.open(config.replication.servers[0]!, config.replication, { ciphers: [CIPHER] });
  c0 = cpu();
  t0 = performance.now();
  await link.upload(file, server.path('ours.wav'), 0, new RateLimiter(), () => undefined);
  const oursS = (performance.now() - t0) / 1000;
  const oursCpu = cpu().self - c0.self;
  await link.close();
  const oursMBs = bytes / 1e6 / oursS;
  say(`ABK upload path (${CIPHER}, resumable): ${oursMBs.toFixed(0)} MB/s  ${oursS.toFixed(2)} s  CPU ${oursCpu.toFixed(2)} s  ratio to sftp ${(oursMBs / sftpMBs).toFixed(2)}`);

  // 3. the whole job as the engine runs it, then 4. capped as while recording
  for (const [label, recording] of [['whole job (upload, md5sum on the server, rename)', false], ['whole job while recording (cap)', true]] as const) {
    rmSync(server.path('2026'), { recursive: true, force: true });
    rmSync(databasePath(root), { force: true });
    const db = openDatabase(databasePath(root));
    const capped = recording ? { ...config, replication: { ...config.replication, whileRecordingKiBps: 16384 } } : config;
    const r = new Replicator(db, () => capped, new RecordingSink());
    r.setRecording(recording);
    c0 = cpu();
    t0 = performance.now();
    await r.start();
    await until('verified', () => r.outbox.jobs().every((j) => j.state === 'verified'), 600_000);
    const s = (performance.now() - t0) / 1000;
    const used = cpu().self - c0.self;
    await r.stop();
    db.close();
    say(`ABK ${label}: ${(bytes / 1e6 / s).toFixed(0)} MB/s  ${s.toFixed(2)} s  CPU ${used.toFixed(2)} s${recording ? `  (cap ${capped.replication.whileRecordingKiBps} KiB/s = ${(capped.replication.whileRecordingKiBps * 1024 / 1e6).toFixed(1)} MB/s)` : ''}`);
    if (recording) break;
  }
  server.kill();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
