import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CopyView, FileView, IntegrityView, MarkView, ReplicaView, SittingDetail, SittingListItem, listQuerySchema } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { fileNames } from '../../shared/naming.js';
import { almatyDate, samplesToMs } from '../../shared/timeline.js';
import type { z } from 'zod';
import { parseMd5sums, readManifest, type Manifest } from '../finalize/manifest.js';
import { relDirOf } from '../replication/replication-outbox.js';
import type { Replicator } from '../replication/replicator.js';
import { finishedDirOf } from '../sittings/recovery.js';
import type { Mark, SittingRow, SittingStore } from '../sittings/sitting-store.js';
import type { ExportJobs } from './export-jobs.js';
import type { LibraryChecks } from './library-checks.js';

/** How the engine's rows look to the UI. */
export const markView = (m: Mark, sampleRate: number): MarkView => ({
  id: m.id, kind: m.kind, timelineMs: Math.round(samplesToMs(m.atSample, sampleRate)), wallMs: m.wallMs,
  ...(m.seat ? { seat: m.seat } : {}), ...(m.participant ? { participant: m.participant } : {}),
  ...(m.text ? { text: m.text } : {}), ...(m.correctsId ? { correctsId: m.correctsId } : {}),
});

/** A finalized sitting's folder and manifest (undefined before it is finalized). */
export function finishedOf(root: string, row: SittingRow): { dir: string; manifest: Manifest } | undefined {
  const dir = finishedDirOf(root, row);
  return dir ? { dir, manifest: readManifest(dir, fileNames.manifest(row.base)) } : undefined;
}

/** The files of a finished sitting as MD5SUMS lists them: the manifest's, the protocol's, the manifest itself. */
function filesOf(dir: string): FileView[] {
  const sums = join(dir, fileNames.md5sums());
  if (!existsSync(sums)) return [];
  return parseMd5sums(readFileSync(sums, 'utf8')).map(({ md5, name }) => {
    const path = join(dir, name);
    return { name, md5, bytes: existsSync(path) ? statSync(path).size : 0 };
  });
}

export function listItem(row: SittingRow, replicas: ReplicaView[], integrity: IntegrityView | undefined): SittingListItem {
  return {
    id: row.id, base: row.base, state: row.state, caseNumber: row.fields.caseNumber, courtroom: row.fields.courtroom,
    judge: row.fields.presidingJudge, createdMs: row.createdMs, ...(row.startedMs ? { startedMs: row.startedMs } : {}),
    participants: row.fields.participants.map((p) => p.name), replicas, ...(integrity ? { integrity } : {}),
  };
}

export function detail(row: SittingRow, store: SittingStore, config: AbkConfig, replication: Replicator, checks: LibraryChecks, exports: ExportJobs): SittingDetail {
  const done = finishedOf(config.recordingsRoot, row);
  const relDir = done && relDirOf(config.recordingsRoot, done.dir);
  const copies = relDir ? replication.copiesOf(relDir) : new Map<string, CopyView[]>();
  const files = done ? filesOf(done.dir).map((f) => ({ ...f, copies: copies.get(f.name) ?? [] })) : [];
  return {
    ...listItem(row, relDir ? replication.replicasOfDir(relDir) : replication.replicasOf([]), checks.view(row)), fields: row.fields, files,
    marks: store.marks(row.id).map((m) => markView(m, config.audio.sampleRate)),
    ...(done ? { dir: done.dir } : {}),
    issued: exports.issued(row.id),
    ...recordability(row, store),
  };
}

/** Whether the state machine lets this sitting record now, asked the same way `recording/start` asks it. */
function recordability(row: SittingRow, store: SittingStore): { canRecord: boolean; continues: boolean } {
  try {
    store.assertCanRecord(row.id);
  } catch {
    return { canRecord: false, continues: false }; // the refusal itself is what recording/start answers
  }
  return { canRecord: true, continues: row.state !== 'ready' };
}

const fold = (s: string): string => s.toLocaleLowerCase('kk').normalize('NFC');

/** The library's search: any words in case number, names, courtroom; a date range on the sitting's Almaty date. */
export function matches(row: SittingRow, q: z.output<typeof listQuerySchema>): boolean {
  const date = almatyDate(row.startedMs ?? row.createdMs);
  if (q.fromDate && date < q.fromDate) return false;
  if (q.toDate && date > q.toDate) return false;
  if (q.state && row.state !== q.state) return false;
  if (q.courtroom && !fold(row.fields.courtroom).includes(fold(q.courtroom))) return false;
  if (!q.text) return true;
  const f = row.fields;
  const hay = fold([row.base, f.caseNumber, f.courtroom, f.presidingJudge, f.secretary, ...f.judges, ...f.participants.map((p) => p.name)].join(' '));
  return fold(q.text).split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}
