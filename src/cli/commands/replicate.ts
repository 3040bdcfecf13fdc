import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../engine/db/database.js';
import { describeKey, keyLine, keyMatches, parsePinned } from '../../engine/replication/host-keys.js';
import { probeHostKey } from '../../engine/replication/host-key-probe.js';
import { Replicator } from '../../engine/replication/replicator.js';
import { ReplicationOutbox } from '../../engine/replication/replication-outbox.js';
import { databasePath } from '../../engine/sittings/sitting-session.js';
import type { AbkConfig } from '../../shared/config.js';
import type { AppError } from '../../shared/result.js';
import { configPathOf, editConfigFile, loadConfig } from '../load-config.js';
import { say } from '../output.js';

interface Opts { config?: string | undefined; json?: boolean; reverify?: boolean; yes?: boolean }

const mib = (n: number): string => `${(n / 1048576).toFixed(1)} MiB`;

/** `abk replicate status`: per server what is verified and what is still to go; per sitting "n/n copies verified". */
export function replicateStatus(o: Opts): boolean {
  const config = loadConfig(o.config);
  const db = openDatabase(databasePath(config.recordingsRoot));
  try {
    const outbox = new ReplicationOutbox(db);
    const servers = config.replication.servers.map((s) => s.id);
    const bySitting = outbox.countsBySitting();
    const pending = outbox.jobs().filter((j) => j.state === 'pending');
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ servers: outbox.serverCounts(), sittings: Object.fromEntries(bySitting), pending }, null, 2)}\n`);
      return pending.length === 0;
    }
    if (servers.length === 0) process.stdout.write('no servers configured (replication.servers)\n');
    for (const c of outbox.serverCounts()) {
      process.stdout.write(`${c.server.padEnd(12)} ${c.verified} verified, ${c.pending} to go (${mib(c.pendingBytes)})${servers.includes(c.server) ? '' : '  — no longer configured'}\n`);
    }
    for (const [base, counts] of bySitting) {
      const verified = counts.reduce((n, c) => n + c.verified, 0);
      const total = counts.reduce((n, c) => n + c.total, 0);
      process.stdout.write(`${verified === total ? 'ok ' : '.. '} ${base}  ${verified}/${total} copies verified  (${counts.map((c) => `${c.server} ${c.verified}/${c.total}`).join(', ')})\n`);
    }
    for (const j of pending.filter((p) => p.lastError)) process.stdout.write(`   ${j.server}: ${j.relDir}/${j.file}: ${j.lastError}\n`);
    return pending.length === 0;
  } finally {
    db.close();
  }
}

/**
 * `abk replicate run`: every finished sitting in the recordings root into the
 * outbox, then copies until each server has nothing left or cannot be reached
 * (or refuses, e.g. its host key). True when every copy is verified.
 */
export async function replicateRun(o: Opts): Promise<boolean> {
  const config = loadConfig(o.config);
  if (config.replication.servers.length === 0) throw new Error('no servers configured: add them to replication.servers (see "Replication" in the README)');
  const db = openDatabase(databasePath(config.recordingsRoot));
  const problems = new Map<string, AppError>();
  const r = new Replicator(db, () => config, { emit: () => undefined, raise: (key, _s, e) => { problems.set(key, e); process.stderr.write(`${say(e)}\n`); }, clear: (p) => { for (const k of problems.keys()) if (k.startsWith(p)) problems.delete(k); } });
  r.on('report', (e) => {
    if (e.type === 'verified') {
      const resumed = e.resumedFrom > 0 && e.how !== 'already-there' ? `, resumed at ${mib(e.resumedFrom)}` : '';
      process.stderr.write(`${e.job.server}: ${e.job.relDir}/${e.job.file} verified (${e.how}${resumed})\n`);
    }
  });
  let stop = false;
  const interrupt = (): void => { stop = true; };
  process.once('SIGINT', interrupt);
  try {
    if (!(await r.start({ watch: true }))) return false;
    r.runNow(o.reverify ?? false);
    while (!stop && !r.settled()) await sleep(200);
  } finally {
    process.off('SIGINT', interrupt);
    await r.stop();
    db.close();
  }
  return replicateStatus(o);
}

/**
 * `abk replicate trust SERVER`: shows the key the server presents; with
 * `--yes` pins it in the configuration. IT compares the fingerprint with the
 * one on the server before saying yes: that comparison is the trust.
 */
export async function replicateTrust(o: Opts, id: string | undefined): Promise<void> {
  const config = loadConfig(o.config);
  const server = config.replication.servers.find((s) => s.id === id);
  if (!server) throw new Error(`name a configured server: abk replicate trust ${config.replication.servers.map((s) => s.id).join('|') || 'SERVER'}`);
  const key = await probeHostKey(server.host, server.port);
  const pinned = parsePinned(server.hostKeys);
  process.stdout.write(`${server.id} (${server.host}:${server.port}) presents ${describeKey(key)}\n`);
  if (pinned.ok && keyMatches(pinned.value, key)) { process.stdout.write('this key is already pinned\n'); return; }
  if (!o.yes) {
    process.stdout.write(`compare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, run there); if it is the same, pin it:\n  abk replicate trust ${server.id} --yes\n`);
    return;
  }
  const path = configPathOf(o.config);
  editConfigFile(path, (raw) => {
    const servers = (raw.replication as AbkConfig['replication']).servers;
    const entry = servers.find((s) => s.id === server.id)!;
    // the new key replaces the old: a server has one identity
    entry.hostKeys = [keyLine(key)];
  });
  process.stdout.write(`pinned in ${path}\n`);
}
