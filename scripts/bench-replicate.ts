/**
 * npm run bench:replicate
 *
 * A 1 GiB file to a real OpenSSH sshd on loopback, in the same run:
 *  - OpenSSH `sftp` putting it (aes128-gcm), the bare tool;
 *  - our upload path through each transfer client, same cipher: OpenSSH's
 *    `sftp` as SftpLink runs it (255 KiB requests, pinned key; the default),
 *    and ssh2 in this process (32 pipelined 255 KiB writes at explicit offsets);
 *  - the whole replication job as the engine runs it (outbox, upload to
 *    .abkpart, md5sum on the server, rename);
 *  - the same job capped as while a sitting records, with each client, and
 *    what the replicator costs while it waits, which is most of the capped
 *    job's CPU per GiB (it lasts 64 times longer).
 * Prints MB/s, the ratio to sftp, and the CPU seconds used on this side, this
 * process and its children (sftp, ssh); the server's sshd is not counted for
 * either. ABK_BENCH_MIB sets the size.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/engine/db/database.js';
import { RateLimiter } from '../src/engine/replication/rate-limiter.js';
import { Replicator } from '../src/engine/replication/replicator.js';
import { SftpLink } from '../src/engine/replication/sftp-link.js';
import { findSftp } from '../src/engine/replication/openssh-transfer.js';
import { databasePath } from '../src/engine/sittings/sitting-session.js';
import { md5sums } from '../src/engine/finalize/manifest.js';
import { RecordingSink, replicationConfig, until } from '../test/helpers/replication.js';
import { makeKey, TestSshd } from '../test/helpers/sshd.js';

const MIB = Number(process.env.ABK_BENCH_MIB ?? 1024);
const CIPHER = 'aes128-gcm@openssh.com';
const ROUNDS = Number(process.env.ABK_BENCH_ROUNDS ?? 3);
const say = (s: string): void => void process.stdout.write(`${s}\n`);
const TICK = 100; // clock ticks per second (Linux)

/** A process's CPU seconds from /proc: its own, and its waited-for children's. */
function statCpu(pid: number | 'self'): { ppid: number; own: number; children: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // it ended between the listing and the read: its time is its parent's now
  }
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICK, children: (Number(f[13]) + Number(f[14])) / TICK };
}

/**
 * CPU seconds spent on this side so far: this process, its waited-for
 * children, and its live descendants with theirs (the OpenSSH path's sftp
 * client and its ssh live as long as their link, so their time is not yet
 * in `children`), leaving out the subtree of `server` (the regional
 * server's sshd, which runs here too).
 */
function cpu(server?: number): { self: number; children: number } {
  const u = process.cpuUsage();
  const kids = new Map<number, number[]>();
  const stats = new Map<number, { own: number; children: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = statCpu(Number(name));
    if (!s) continue;
    stats.set(Number(name), s);
    kids.set(s.ppid, [...(kids.get(s.ppid) ?? []), Number(name)]);
  }
  let live = 0;
  const walk = (pid: number): void => {
    for (const c of kids.get(pid) ?? []) {
      if (c === server) continue;
      live += stats.get(c)!.own + stats.get(c)!.children;
      walk(c);
    }
  };
  walk(process.pid);
  return { self: (u.user + u.system) / 1e6, children: statCpu('self')!.children + live };
}

const dir = mkdtempSync(join(tmpdir(), 'abk-bench-repl-'));
const cleanups: (() => void)[] = [];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const key = makeKey(join(dir, 'id_ed25519'));
  // the server's files in memory (/dev/shm where there is one): the clients are compared, not the disk's writeback of the GiB before
  const serverDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/abk-bench-repl-server-') : join(dir, 'server');
  cleanups.push(() => rmSync(serverDir, { recursive: true, force: true }));
  const server = await TestSshd.create(serverDir, key.publicLine);
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

  // 1 and 2: the bare tool and our upload path through each client, same cipher, in ROUNDS interleaved rounds (loopback varies ±30 % from run to run)
  const config = replicationConfig(root, { privateKeyPath: key.privateKeyPath, servers: [server.entry('primary')] });
  const sftpPath = findSftp(undefined);
  const speeds = { sftp: [] as number[], openssh: [] as number[], ssh2: [] as number[] };
  const cpus_ = { sftp: [] as number[], openssh: [] as number[], ssh2: [] as number[] };
  mkdirSync(server.path('sftp'), { recursive: true });
  for (let round = 0; round < ROUNDS; round++) {
    let c0 = cpu(server.pid);
    let t0 = performance.now();
    const sftp = spawnSync('sftp', ['-q', '-b', '-', '-i', key.privateKeyPath, '-c', CIPHER, '-P', String(server.port),
      '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', `${userInfo().username}@127.0.0.1`],
    { input: `put ${file} ${server.path('sftp/bench.wav')}\n`, encoding: 'utf8' });
    if (sftp.status !== 0) throw new Error(`sftp failed: ${sftp.stderr}`);
    speeds.sftp.push(bytes / 1e6 / ((performance.now() - t0) / 1000));
    cpus_.sftp.push(cpu(server.pid).children - c0.children);
    rmSync(server.path('sftp/bench.wav'));
    for (const [name, opt] of [['openssh', sftpPath ? { sftp: sftpPath } : undefined], ['ssh2', {}]] as const) {
      if (!opt) continue;
      const link = await SftpLink.open(config.replication.servers[0]!, config.replication, { ciphers: [CIPHER], ...opt });
      c0 = cpu(server.pid);
      t0 = performance.now();
      await link.upload(file, server.path('ours.wav'), 0, new RateLimiter(), () => undefined);
      speeds[name].push(bytes / 1e6 / ((performance.now() - t0) / 1000));
      const c1 = cpu(server.pid);
      cpus_[name].push(c1.self - c0.self + c1.children - c0.children);
      await link.close();
      rmSync(server.path('ours.wav'));
    }
  }
  const sftpMBs = median(speeds.sftp);
  const row = (label: string, k: keyof typeof speeds): string => `${label} ${median(speeds[k]).toFixed(0)} MB/s (rounds: ${speeds[k].map((x) => x.toFixed(0)).join(', ')})  CPU ${median(cpus_[k]).toFixed(2)} s`;
  say(row(`OpenSSH sftp put (${CIPHER}), the bare tool:      `, 'sftp'));
  if (speeds.openssh.length) say(`${row('ABK upload path, OpenSSH sftp client (resumable):', 'openssh')}  ratio to sftp ${(median(speeds.openssh) / sftpMBs).toFixed(2)}`);
  say(`${row('ABK upload path, ssh2 in the engine (resumable):  ', 'ssh2')}  ratio to sftp ${(median(speeds.ssh2) / sftpMBs).toFixed(2)}`);
  let c0 = cpu(server.pid);
  let t0 = performance.now();

  // 3. the whole job as the engine runs it, then 4. capped as while recording, with each client
  const CAP = 16384;
  const runs = [['whole job (upload, md5sum on the server, rename)', false, 'auto'], ['whole job while recording (cap), OpenSSH sftp', true, 'openssh'], ['whole job while recording (cap), ssh2', true, 'ssh2']] as const;
  for (const [label, recording, transfer] of runs) {
    if (transfer === 'openssh' && !sftpPath) continue;
    rmSync(server.path('2026'), { recursive: true, force: true });
    rmSync(databasePath(root), { force: true });
    const db = openDatabase(databasePath(root));
    const base = { ...config, replication: { ...config.replication, transfer } };
    const used = recording ? { ...base, replication: { ...base.replication, whileRecordingKiBps: CAP } } : base;
    const r = new Replicator(db, () => used, new RecordingSink());
    r.setRecording(recording);
    c0 = cpu(server.pid);
    t0 = performance.now();
    await r.start();
    await until('verified', () => r.outbox.jobs().every((j) => j.state === 'verified'), 900_000);
    const s = (performance.now() - t0) / 1000;
    const c1 = cpu(server.pid);
    const spent = c1.self - c0.self + c1.children - c0.children;
    // the same replicator idle for 10 s, polled as above: its cost per second while it waits
    const i0 = cpu(server.pid);
    const idleStart = performance.now();
    await until('10 s idle', () => performance.now() - idleStart > 10_000, 20_000);
    const idlePerS = (cpu(server.pid).self - i0.self) / ((performance.now() - idleStart) / 1000);
    await r.stop();
    db.close();
    const perGiB = (spent / bytes) * 1073741824;
    say(`ABK ${label}: ${(bytes / 1e6 / s).toFixed(0)} MB/s  ${s.toFixed(2)} s  CPU ${spent.toFixed(2)} s (${perGiB.toFixed(1)} CPU-s per GiB)${recording ? `  cap ${CAP} KiB/s = ${(CAP * 1024 / 1e6).toFixed(1)} MB/s; waiting costs ${(idlePerS * 100).toFixed(1)} % of a core, ${(idlePerS * s).toFixed(1)} CPU-s of this run` : ''}`);
  }
  server.kill();
} finally {
  rmSync(dir, { recursive: true, force: true });
  for (const f of cleanups) f();
}
