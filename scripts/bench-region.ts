/**
 * npm run bench:region [-- --appliances 50 --mib 20]
 *
 * Many courtrooms, one regional server: `--appliances` replicators (each its
 * own recordings root, SQLite outbox, worker and connection, as separate
 * courtroom PCs would have) send one finished sitting each to one OpenSSH
 * sshd on loopback, all at once. Prints the total throughput, fairness (each
 * appliance's time to its last verified copy: the slowest against the
 * median), the server's CPU (sshd and its sftp-servers), the connections the
 * server turned away (MaxStartups), and copies verified out of copies
 * expected, each checked with `md5sum -c` in the server's folder.
 *
 * All appliances run in this one Node process (two cores cannot hold 50
 * engines); OpenSSH's sftp clients are their own processes, as on the PCs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '../src/engine/db/database.js';
import { opensshClientsStarted } from '../src/engine/replication/openssh-transfer.js';
import { Replicator } from '../src/engine/replication/replicator.js';
import { databasePath } from '../src/engine/sittings/sitting-session.js';
import { finishedSitting, RecordingSink, replicationConfig } from '../test/helpers/replication.js';
import { makeKey, TestSshd } from '../test/helpers/sshd.js';

const { values } = parseArgs({ options: { appliances: { type: 'string', default: '50' }, mib: { type: 'string', default: '20' }, transfer: { type: 'string', default: 'auto' }, 'max-startups': { type: 'string', default: '10:30:100' } } });
const N = Number(values.appliances);
const MIB = Number(values.mib);
const say = (s: string): void => void process.stdout.write(`${s}\n`);
const TICK = 100;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** CPU seconds of a process and of the children it has waited for (the sshd listener waits for every session, which waits for its sftp-server). */
function cpuWithChildren(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12]) + Number(x[13]) + Number(x[14])) / TICK;
}

const dir = mkdtempSync(join(tmpdir(), 'abk-bench-region-'));
const appliances: { r: Replicator; db: Db; rel: string; doneMs?: number }[] = [];
try {
  const key = makeKey(join(dir, 'id_ed25519'));
  const server = await TestSshd.create(join(dir, 'server'), key.publicLine, { maxStartups: values['max-startups'] });
  const sshdPid = Number(readFileSync(join(server.dir, 'sshd.pid'), 'utf8'));
  // each courtroom: a sitting of four microphone files and its small files
  const files = { 'mic01.wav': 0, 'mic02.wav': 0, 'mic03.wav': 0, 'mic04.wav': 0, 'manifest.json': 3000, 'protocol.pdf': 60_000 };
  const per = MIB * 1048576;
  for (const f of Object.keys(files).filter((n) => n.endsWith('.wav'))) (files as Record<string, number>)[f] = Math.floor(per / 4);
  const bytesEach = Object.values(files).reduce((a, b) => a + b, 0);
  for (let i = 0; i < N; i++) {
    const root = join(dir, `pc${String(i + 1).padStart(3, '0')}`);
    const court = `court-${i + 1}`;
    const rel = `2026/7599-24-00-2_${1000 + i}/7599-24-00-2_${1000 + i}_2026-12-07_10-00`;
    finishedSitting(root, rel, Object.fromEntries(Object.entries(files).map(([n, b]) => [`${court}_${n}`, b])));
    mkdirSync(root, { recursive: true });
    const db = openDatabase(databasePath(root));
    const entry = { ...server.entry('primary'), remoteRoot: join(server.root, court) };
    const config = replicationConfig(root, { privateKeyPath: key.privateKeyPath, servers: [entry], transfer: values.transfer as 'auto', maxRetrySeconds: 10 });
    appliances.push({ r: new Replicator(db, () => config, new RecordingSink()), db, rel: join(court, rel) });
  }
  const expected = N * (Object.keys(files).length + 1); // + MD5SUMS
  say(`bench:region — ${N} appliances × ${(bytesEach / 1e6).toFixed(1)} MB (4 microphones, manifest, protocol) to one sshd on 127.0.0.1 (MaxStartups ${values['max-startups']}), transfer ${values.transfer}`);
  const cpu0 = cpuWithChildren(sshdPid);
  const clients0 = opensshClientsStarted();
  const t0 = performance.now();
  await Promise.all(appliances.map((a) => a.r.start()));
  const verified = (a: (typeof appliances)[number]): boolean => a.r.outbox.jobs().length > 0 && a.r.outbox.jobs().every((j) => j.state === 'verified');
  const deadline = Date.now() + 30 * 60_000;
  while (appliances.some((a) => a.doneMs === undefined) && Date.now() < deadline) {
    for (const a of appliances) if (a.doneMs === undefined && verified(a)) a.doneMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  const wall = (performance.now() - t0) / 1000;
  const problems = appliances.flatMap((a) => a.r.status().servers.flatMap((s) => (s.lastError ? [s.lastError.message.en] : [])));
  await Promise.all(appliances.map((a) => a.r.stop()));
  await new Promise((r) => setTimeout(r, 500)); // the last sessions end and are waited for
  const serverCpu = cpuWithChildren(sshdPid) - cpu0;
  let checked = 0;
  for (const a of appliances) {
    const out = execFileSync('md5sum', ['-c', 'MD5SUMS'], { cwd: server.path(a.rel), encoding: 'utf8' });
    checked += out.split('\n').filter((l) => l.endsWith(': OK')).length + 1; // MD5SUMS itself is what was checked against
  }
  const times = appliances.flatMap((a) => (a.doneMs !== undefined ? [a.doneMs / 1000] : []));
  const total = N * bytesEach;
  say(`throughput: ${(total / 1e6 / wall).toFixed(0)} MB/s in total (${(total / 1e6).toFixed(0)} MB in ${wall.toFixed(1)} s)`);
  say(`fairness: each appliance's time to its last verified copy — fastest ${Math.min(...times).toFixed(1)} s, median ${pct(times, 50).toFixed(1)} s, slowest ${Math.max(...times).toFixed(1)} s (slowest ÷ median ${(Math.max(...times) / pct(times, 50)).toFixed(2)})`);
  say(`server CPU (sshd, its sessions and sftp-servers): ${serverCpu.toFixed(1)} CPU-s, ${((serverCpu / wall) * 100).toFixed(0)} % of one core on average, ${(serverCpu / (total / 1073741824)).toFixed(2)} CPU-s per GiB`);
  say(`retries: ${problems.length} appliances last saw a problem${problems.length ? `, e.g. "${problems[0]}"` : ''}; OpenSSH clients (connections) started: ${opensshClientsStarted() - clients0}`);
  say(`copies verified: ${appliances.reduce((n, a) => n + a.r.outbox.jobs().filter((j) => j.state === 'verified').length, 0)} of ${expected} by the replicators; md5sum -c in the server's folders: ${checked} of ${expected}`);
  server.kill();
} finally {
  for (const a of appliances) a.db.close();
  rmSync(dir, { recursive: true, force: true });
}
