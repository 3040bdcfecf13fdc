import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { auditHeadSchema, type AuditHead, type Manifest } from '../../shared/package-format.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import { auditHead, checkAuditLog, type AuditCheck } from '../db/audit-log.js';
import { DATABASE_FILE, openReadOnly, type Db } from '../db/database.js';
import { writeJsonAtomic } from '../recorder/sitting-folder.js';
import { SittingStore } from '../sittings/sitting-store.js';
import { checkChain, type ChainCheck } from './chain-check.js';

/**
 * The audit log's head written down outside the database, beside it: after
 * the events are committed, so it is never ahead of the log. A log that no
 * longer holds it was cut back. (Anyone who can edit the database can edit
 * this file too; the heads in sealed manifests are the ones that cannot be.)
 */
export const ANCHOR_FILE = 'abk.audit-head.json';
const ANCHOR_FORMAT = 'abk-abt-audit-head';
const anchorSchema = z.object({ format: z.literal(ANCHOR_FORMAT), head: auditHeadSchema, writtenAt: z.string() });

/**
 * Moves the anchor on to the log's head, when the head moved since `last`.
 * It only ever moves forward along the chain: an anchor the log no longer
 * holds (cut back, rewritten) or cannot read is left as it is, so the next
 * check still finds what happened. Returns the head now written (or `last`).
 */
export function writeAnchor(root: string, db: Db, last?: AuditHead | null): AuditHead | null {
  const head = auditHead(db);
  if (!head || (last && last.event === head.event && last.hash === head.hash)) return last ?? null;
  const was = readAnchor(root);
  if (was.state === 'unreadable') return last ?? null;
  if (was.state === 'ok' && (db.prepare('SELECT hash FROM events WHERE id = ?').get(was.head.event) as { hash: string } | undefined)?.hash !== was.head.hash) return last ?? null;
  const now = Date.now();
  writeJsonAtomic(join(root, ANCHOR_FILE), { format: ANCHOR_FORMAT, head, writtenAt: `${almatyDate(now)} ${almatyTime(now)}` });
  return head;
}

type Anchor = { state: 'none' } | { state: 'ok'; head: AuditHead } | { state: 'unreadable'; error: string };

function readAnchor(root: string): Anchor {
  const path = join(root, ANCHOR_FILE);
  if (!existsSync(path)) return { state: 'none' };
  try {
    return { state: 'ok', head: anchorSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).head };
  } catch (e) {
    return { state: 'unreadable', error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
  }
}

export interface LogReport {
  /** The recordings root whose database this is. */
  root: string;
  ok: boolean;
  check: AuditCheck;
  /** The anchor file: there and checked, absent (an appliance from before it was written), or not readable (changed by hand). */
  anchor: Anchor['state'];
  /** How many heads written elsewhere (sealed manifests, the anchor) the log was checked against. */
  heads: number;
  /** Each sitting's chain (db/chain.ts): against its working folder while there is one (every byte), its marks, and its sealed manifest's head. */
  chains: { base: string; check: ChainCheck }[];
}

/**
 * The appliance's audit log checked: its chain, and every head the sealed
 * manifests (`manifests`) and the anchor carry. Done at every engine start
 * and by `abk verify` on a recordings root.
 */
export function checkApplianceLog(db: Db, root: string, manifests: { where: string; manifest: Manifest }[]): LogReport {
  const anchor = readAnchor(root);
  const heads = manifests.flatMap(({ where, manifest }) => manifest.audit ? [{ head: manifest.audit, where }] : []);
  if (anchor.state === 'ok') heads.push({ head: anchor.head, where: ANCHOR_FILE });
  const check = anchor.state === 'unreadable'
    ? { ok: false as const, code: 'changed' as const, event: 0, reason: `${ANCHOR_FILE} cannot be read (${anchor.error})` }
    : checkAuditLog(db, heads);
  return { root, ok: check.ok, check, anchor: anchor.state, heads: heads.length, chains: [] };
}

/**
 * Every sitting's chain in the log: against its working folder under `root`
 * (when it is still there, reading every segment), its marks in the
 * database, and the chain head its sealed manifest carries.
 */
async function checkChains(db: Db, root: string, manifests: { manifest: Manifest }[]): Promise<{ base: string; check: ChainCheck }[]> {
  const store = new SittingStore(db);
  const out: { base: string; check: ChainCheck }[] = [];
  for (const row of store.list()) {
    const entries = store.chain(row.id);
    if (entries.length === 0) continue;
    const work = join(root, '.work', row.base);
    const check = await checkChain(entries, existsSync(work) ? work : undefined, store.marks(row.id), { data: true });
    const sealed = manifests.find((m) => m.manifest.base === row.base)?.manifest.chain;
    if (sealed && entries[sealed.entries - 1]?.head !== sealed.head) {
      check.findings.push({ kind: 'segment', name: `entry ${sealed.entries}`, status: 'broken', detail: 'the chain in the log is not the one the sealed manifest names' });
      check.ok = false;
    }
    out.push({ base: row.base, check });
  }
  return out;
}

/** The same for a recordings root that holds a database, opened read-only, with every sitting's chain; undefined when the folder holds none. */
export async function checkRootLog(root: string, manifests: { where: string; manifest: Manifest }[]): Promise<LogReport | undefined> {
  const path = join(root, DATABASE_FILE);
  if (!existsSync(path)) return undefined;
  const db = openReadOnly(path);
  try {
    const report = checkApplianceLog(db, root, manifests);
    report.chains = await checkChains(db, root, manifests);
    report.ok = report.ok && report.chains.every((c) => c.check.ok);
    return report;
  } finally {
    db.close();
  }
}
