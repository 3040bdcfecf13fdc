import { createHash } from 'node:crypto';
import type { AuditHead } from '../../shared/package-format.js';
import type { Db } from './database.js';

const GENESIS = '0'.repeat(64);

interface EventRow { id: number; sitting_id: number | null; wall_ms: number; type: string; payload: string; prev_hash: string; hash: string }

const rowHash = (prev: string, r: Omit<EventRow, 'id' | 'prev_hash' | 'hash'>): string =>
  createHash('sha256').update(JSON.stringify([prev, r.sitting_id, r.wall_ms, r.type, r.payload])).digest('hex');

/**
 * The append-only audit log: every state change is written with its event in
 * one transaction, and each event's hash covers the one before, so an edited,
 * removed or inserted row is found by `verifyAuditLog`. Call inside the
 * caller's transaction.
 */
export function appendEvent(db: Db, sittingId: number | null, type: string, payload: unknown, wallMs = Date.now()): void {
  const last = db.prepare('SELECT hash FROM events ORDER BY id DESC LIMIT 1').get() as { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const row = { sitting_id: sittingId, wall_ms: wallMs, type, payload: JSON.stringify(payload ?? null) };
  db.prepare('INSERT INTO events (sitting_id, wall_ms, type, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)')
    .run(row.sitting_id, row.wall_ms, row.type, row.payload, prev, rowHash(prev, row));
}

/** The log's last event now: a manifest revision carries it, and the anchor file beside the database (audit-anchor.ts). */
export function auditHead(db: Db): AuditHead | null {
  const r = db.prepare('SELECT id, hash FROM events ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
  return r ? { event: r.id, hash: r.hash } : null;
}

export type AuditCheck = { ok: true; events: number } | { ok: false; code: 'changed' | 'truncated'; event: number; reason: string };

/**
 * The whole check: the chain holds (`verifyAuditLog`), and every head written
 * down elsewhere (sealed manifests, the anchor) is still in it with its hash.
 * A chain that holds but lacks a head was cut back; one whose row at a head
 * has another hash was rewritten and re-chained.
 */
export function checkAuditLog(db: Db, heads: { head: AuditHead; where: string }[]): AuditCheck {
  const chain = verifyAuditLog(db);
  if (!chain.ok) return { ok: false, code: 'changed', event: chain.brokenAt, reason: chain.reason };
  const hashAt = db.prepare('SELECT hash FROM events WHERE id = ?');
  for (const { head, where } of [...heads].sort((a, b) => b.head.event - a.head.event)) {
    const row = hashAt.get(head.event) as { hash: string } | undefined;
    if (!row) return { ok: false, code: 'truncated', event: head.event, reason: `${where} names event ${head.event}, which the log no longer holds (it ends at ${chain.events})` };
    if (row.hash !== head.hash) return { ok: false, code: 'changed', event: head.event, reason: `${where} names event ${head.event} with another hash: the log was rewritten up to there` };
  }
  return chain;
}

/** Walks the chain; `brokenAt` is the first event whose hash or link does not hold. */
export function verifyAuditLog(db: Db): { ok: true; events: number } | { ok: false; brokenAt: number; reason: string } {
  let prev = GENESIS;
  let n = 0;
  for (const r of db.prepare('SELECT * FROM events ORDER BY id').iterate() as IterableIterator<EventRow>) {
    if (r.prev_hash !== prev) return { ok: false, brokenAt: r.id, reason: 'link to the previous event broken (a row removed or inserted)' };
    if (rowHash(prev, r) !== r.hash) return { ok: false, brokenAt: r.id, reason: 'contents changed after they were written' };
    prev = r.hash;
    n++;
  }
  return { ok: true, events: n };
}

export function eventsOf(db: Db, sittingId: number): { type: string; wallMs: number; payload: unknown }[] {
  return (db.prepare('SELECT type, wall_ms, payload FROM events WHERE sitting_id = ? ORDER BY id').all(sittingId) as EventRow[])
    .map((r) => ({ type: r.type, wallMs: r.wall_ms, payload: JSON.parse(r.payload) as unknown }));
}
