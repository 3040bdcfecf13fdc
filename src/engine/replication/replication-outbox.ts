import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { Db } from '../db/database.js';
import { parseMd5sums } from '../finalize/manifest.js';
import { parseManifest } from '../../shared/package-format.js';
import { controlFiles } from '../package/verify.js';
import { sealNames } from '../package/seal.js';
import { fileNames } from '../../shared/naming.js';

/** A job's MD5 that means "must not be there": a seal file a new revision removed, taken off the server too. */
export const ABSENT_MD5 = 'absent';

export interface ReplicationJob {
  id: number; server: string; relDir: string; file: string; bytes: number; md5: string;
  state: 'pending' | 'verified'; attempts: number; nextMs: number; lastError?: string; sentBytes: number; verifiedMs?: number;
}

interface JobRow {
  id: number; server: string; rel_dir: string; file: string; bytes: number; md5: string; state: 'pending' | 'verified';
  attempts: number; next_ms: number; last_error: string | null; sent_bytes: number; verified_ms: number | null;
}

const job = (r: JobRow): ReplicationJob => ({
  id: r.id, server: r.server, relDir: r.rel_dir, file: r.file, bytes: r.bytes, md5: r.md5, state: r.state,
  attempts: r.attempts, nextMs: r.next_ms, sentBytes: r.sent_bytes,
  ...(r.last_error ? { lastError: r.last_error } : {}), ...(r.verified_ms ? { verifiedMs: r.verified_ms } : {}),
});

export interface CopyCounts { server: string; verified: number; total: number }

/** A sitting's folder as the outbox names it: below the recordings root, '/'-separated on every system. */
export const relDirOf = (root: string, dir: string): string => relative(root, dir).split(sep).join('/');

/** The sitting's base: the last part of its folder. */
export const baseOf = (relDir: string): string => relDir.slice(relDir.lastIndexOf('/') + 1);

/**
 * The durable replication outbox (ARCHITECTURE §5): one row per file of a
 * finished sitting per server, in the same SQLite database as the sittings,
 * so a restart, a crash or a power cut loses no job. A sitting's files are
 * what its MD5SUMS lists, plus MD5SUMS and SHA256SUMS, so the server's folder
 * checks with `md5sum -c` and `abk verify` just as the local one.
 */
const md5Of = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

/** What each file of a package must hash to: its sealed manifest's MD5s and the manifest's own (else MD5SUMS). */
function expectedMd5s(dir: string, base: string, sums: string): { name: string; md5: string }[] {
  const manifest = join(dir, fileNames.manifest(base));
  if (!existsSync(manifest)) return parseMd5sums(readFileSync(sums, 'utf8'));
  const bytes = readFileSync(manifest);
  const m = parseManifest(bytes.toString('utf8'));
  return [...m.files.map((f) => ({ name: f.name, md5: f.md5 })), { name: fileNames.manifest(base), md5: md5Of(bytes) }];
}

export class ReplicationOutbox {
  constructor(private readonly db: Db) {}

  /**
   * Puts a finished sitting's files in the outbox for every server: new files
   * as new jobs; a file whose MD5 changed (a protocol made again) pending
   * again; anything already there and unchanged stays as it is, so finding
   * the same folder twice enqueues nothing. Returns how many jobs became pending.
   *
   * Each copy is verified against the MD5 the sealed manifest gives (not the
   * plain list beside it): a file changed here, or on a server, never passes.
   * A folder without a manifest (none is made so any more) goes by `MD5SUMS`.
   * Throws, naming it, a manifest that cannot be read.
   */
  enqueueSitting(root: string, dir: string, servers: readonly string[], now = Date.now()): number {
    const sums = join(dir, fileNames.md5sums());
    if (!existsSync(sums)) return 0;
    const base = basename(dir); // a sitting's folder is named by its base
    const listed = expectedMd5s(dir, base, sums);
    // what the manifest cannot list goes too (the checksum lists, the seal, its signer, VERIFY.txt), so the server's folder is a whole package
    const lists = [...controlFiles(base)].filter((n) => n !== fileNames.manifest(base) && existsSync(join(dir, n)))
      .map((n) => ({ name: n, md5: md5Of(readFileSync(join(dir, n))) }));
    const files = [...listed, ...lists]
      .filter((f) => existsSync(join(dir, f.name)))
      .map((f) => ({ ...f, bytes: statSync(join(dir, f.name)).size }));
    const relDir = relDirOf(root, dir);
    const insert = this.db.prepare(`INSERT INTO replication_jobs (server, rel_dir, file, bytes, md5, state, next_ms, created_ms)
      VALUES (?, ?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (server, rel_dir, file) DO UPDATE
      SET bytes = excluded.bytes, md5 = excluded.md5, state = 'pending', attempts = 0, next_ms = 0, last_error = NULL, verified_ms = NULL
      WHERE md5 <> excluded.md5`);
    // a seal's signature or timestamp that a new revision removed (unsealed, or the TSA down): left on a server it would be
    // over other bytes, and the server's copy would not verify; only these go, never a recording's file (a server copy is its backup)
    const gone = [sealNames.signature(base), sealNames.timestamp(base)].filter((n) => !existsSync(join(dir, n)));
    const remove = this.db.prepare(`UPDATE replication_jobs SET bytes = 0, md5 = '${ABSENT_MD5}', state = 'pending', attempts = 0, next_ms = 0, last_error = NULL, verified_ms = NULL
      WHERE server = ? AND rel_dir = ? AND file = ? AND md5 <> '${ABSENT_MD5}'`);
    return this.db.transaction(() => {
      let n = 0;
      for (const server of servers) {
        for (const f of files) n += insert.run(server, relDir, f.name, f.bytes, f.md5, now).changes;
        for (const name of gone) n += remove.run(server, relDir, name).changes;
      }
      return n;
    })();
  }

  /** The next job due for a server: the oldest first, so sittings arrive in the order they ended. */
  due(server: string, now = Date.now()): ReplicationJob | undefined {
    const r = this.db.prepare("SELECT * FROM replication_jobs WHERE server = ? AND state = 'pending' AND next_ms <= ? ORDER BY id LIMIT 1").get(server, now) as JobRow | undefined;
    return r && job(r);
  }

  /** When the server's next pending job becomes due (undefined: nothing pending). */
  nextDueMs(server: string): number | undefined {
    const r = this.db.prepare("SELECT min(next_ms) AS t FROM replication_jobs WHERE server = ? AND state = 'pending'").get(server) as { t: number | null };
    return r.t ?? undefined;
  }

  verified(id: number, sentBytes: number, now = Date.now()): void {
    this.db.prepare("UPDATE replication_jobs SET state = 'verified', attempts = 0, last_error = NULL, verified_ms = ?, sent_bytes = sent_bytes + ? WHERE id = ?").run(now, sentBytes, id);
  }

  /** A failed attempt: the reason, and no new try before `nextMs`. */
  failed(id: number, error: string, nextMs: number, sentBytes: number): void {
    this.db.prepare('UPDATE replication_jobs SET attempts = attempts + 1, last_error = ?, next_ms = ?, sent_bytes = sent_bytes + ? WHERE id = ?').run(error, nextMs, sentBytes, id);
  }

  /** A verified copy found wrong or missing on the server: pending again, with the reason kept. */
  reopen(id: number, reason: string): void {
    this.db.prepare("UPDATE replication_jobs SET state = 'pending', attempts = 0, next_ms = 0, last_error = ?, verified_ms = NULL WHERE id = ?").run(reason, id);
  }

  /** Verified copies last checked before `beforeMs`, the oldest first. */
  toReverify(server: string, beforeMs: number, limit = 50): ReplicationJob[] {
    return (this.db.prepare("SELECT * FROM replication_jobs WHERE server = ? AND state = 'verified' AND verified_ms < ? ORDER BY verified_ms LIMIT ?")
      .all(server, beforeMs, limit) as JobRow[]).map(job);
  }

  /** Everything pending is due now (`abk replicate run`, the library's "Send now"). */
  dueNow(server?: string): void {
    this.db.prepare(`UPDATE replication_jobs SET next_ms = 0 WHERE state = 'pending'${server ? ' AND server = ?' : ''}`).run(...(server ? [server] : []));
  }

  /** Verified copies become due for a check now (marked as checked at 1 ms after the epoch, older than any threshold). */
  reverifyNow(server?: string): void {
    this.db.prepare(`UPDATE replication_jobs SET verified_ms = 1 WHERE state = 'verified'${server ? ' AND server = ?' : ''}`).run(...(server ? [server] : []));
  }

  jobs(relDir?: string): ReplicationJob[] {
    const rows = relDir === undefined
      ? this.db.prepare('SELECT * FROM replication_jobs ORDER BY id').all()
      : this.db.prepare('SELECT * FROM replication_jobs WHERE rel_dir = ? ORDER BY id').all(relDir);
    return (rows as JobRow[]).map(job);
  }

  /** Verified and total copies per server of every sitting, keyed by the sitting's folder name (its base). */
  countsBySitting(): Map<string, CopyCounts[]> {
    const rows = this.db.prepare(`SELECT rel_dir, server, sum(state = 'verified') AS verified, count(*) AS total
      FROM replication_jobs GROUP BY rel_dir, server ORDER BY rel_dir, server`).all() as { rel_dir: string; server: string; verified: number; total: number }[];
    const out = new Map<string, CopyCounts[]>();
    for (const r of rows) {
      const base = baseOf(r.rel_dir);
      out.set(base, [...(out.get(base) ?? []), { server: r.server, verified: r.verified, total: r.total }]);
    }
    return out;
  }

  /** Verified and total copies per server of one sitting (by its folder: an indexed lookup, not the whole table). */
  countsOf(relDir: string): CopyCounts[] {
    return this.db.prepare(`SELECT server, sum(state = 'verified') AS verified, count(*) AS total
      FROM replication_jobs WHERE rel_dir = ? GROUP BY server ORDER BY server`).all(relDir) as CopyCounts[];
  }

  /** Per server: pending and verified files, and the bytes still to send. */
  serverCounts(): { server: string; pending: number; verified: number; pendingBytes: number }[] {
    return this.db.prepare(`SELECT server, sum(state = 'pending') AS pending, sum(state = 'verified') AS verified,
      coalesce(sum(CASE WHEN state = 'pending' THEN bytes END), 0) AS pendingBytes FROM replication_jobs GROUP BY server ORDER BY server`).all() as
      { server: string; pending: number; verified: number; pendingBytes: number }[];
  }
}
