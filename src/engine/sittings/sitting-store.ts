import type { SegmentRecord } from '../../capture/audio/protocol.js';
import { emptyCaseNumber, sittingBase, uniqueName } from '../../shared/naming.js';
import { formatIssues } from '../../shared/validation.js';
import { AbkError, appError } from '../../shared/result.js';
import {
  INTERRUPTION_CAUSES, markInputSchema, sittingFieldsSchema, TRANSITIONS,
  type InterruptionCause, type MarkInput, type MarkKind, type SittingFields, type SittingFieldsInput, type SittingState,
} from '../../shared/sitting.js';
import { appendEvent } from '../db/audit-log.js';
import { CHAIN_GENESIS, chainEntrySchema, chainNext, markDigest, type ChainEntry, type ChainExtra } from '../db/chain.js';
import type { Db } from '../db/database.js';

export interface SittingRow { id: number; base: string; state: SittingState; fields: SittingFields; createdMs: number; dir: string | null; startedMs: number | null; finalDir: string | null }
export interface Mark {
  id: number; kind: MarkKind; atSample: number; wallMs: number;
  seat?: string; participant?: string; text?: string; correctsId?: number; createdMs: number;
}

interface RawSitting { id: number; base: string; state: SittingState; fields: string; created_ms: number; dir: string | null; started_ms: number | null; final_dir: string | null }
interface RawMark { id: number; kind: MarkKind; at_sample: number; wall_ms: number; seat: string | null; participant: string | null; text: string | null; corrects_id: number | null; created_ms: number }

const toSitting = (r: RawSitting): SittingRow => ({ id: r.id, base: r.base, state: r.state, fields: JSON.parse(r.fields) as SittingFields, createdMs: r.created_ms, dir: r.dir, startedMs: r.started_ms, finalDir: r.final_dir });
const toMark = (r: RawMark): Mark => ({
  id: r.id, kind: r.kind, atSample: r.at_sample, wallMs: r.wall_ms, createdMs: r.created_ms,
  ...(r.seat ? { seat: r.seat } : {}), ...(r.participant ? { participant: r.participant } : {}),
  ...(r.text ? { text: r.text } : {}), ...(r.corrects_id ? { correctsId: r.corrects_id } : {}),
});

/**
 * Validate a sitting's details, naming every field that is wrong; when the
 * case number is all that is missing, its own message says so in the user's language.
 */
function parseFields(input: SittingFieldsInput): SittingFields {
  const parsed = sittingFieldsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  if (issues.length === 1 && issues[0]!.path[0] === 'caseNumber' && String(input.caseNumber ?? '').trim() === '') throw emptyCaseNumber();
  throw invalid(formatIssues(parsed.error, '; '));
}

function invalid(detail: string): AbkError {
  return new AbkError(appError('invalid-sitting-fields', `The sitting's details are incomplete or wrong: ${detail}`,
    `Сведения о заседании неполны или неверны: ${detail}`, `Отырыс туралы мәліметтер толық емес немесе қате: ${detail}`));
}

/**
 * Sittings, their marks and segments in SQLite. Every change is written in the
 * same transaction as the audit event that records it, so the state the UI
 * shows and the log that proves it never disagree.
 */
export class SittingStore {
  constructor(private readonly db: Db) {}

  create(input: SittingFieldsInput, now = Date.now()): SittingRow {
    const fields = parseFields(input);
    const base = uniqueName(sittingBase(fields.caseNumber, now), (b) => this.db.prepare('SELECT 1 FROM sittings WHERE base = ?').get(b) !== undefined);
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO sittings (base, state, fields, case_number, language, created_ms) VALUES (?, ?, ?, ?, ?, ?)')
        .run(base, 'draft', JSON.stringify(fields), fields.caseNumber, fields.language, now).lastInsertRowid);
      appendEvent(this.db, id, 'sitting-created', { base, fields }, now);
      return this.get(id);
    })();
  }

  get(id: number): SittingRow {
    const r = this.db.prepare('SELECT * FROM sittings WHERE id = ?').get(id) as RawSitting | undefined;
    if (!r) throw new AbkError(appError('sitting-not-found', `There is no sitting ${id}.`, `Заседание ${id} не найдено.`, `${id} отырысы табылмады.`));
    return toSitting(r);
  }

  list(): SittingRow[] {
    return (this.db.prepare('SELECT * FROM sittings ORDER BY created_ms DESC, id DESC').all() as RawSitting[]).map(toSitting);
  }

  /** Change the details while nothing is recorded yet. */
  updateFields(id: number, input: SittingFieldsInput): SittingRow {
    const fields = parseFields(input);
    return this.db.transaction(() => {
      const s = this.get(id);
      if (s.state !== 'draft' && s.state !== 'ready') throw this.refused(s.state, 'edit the details');
      this.db.prepare('UPDATE sittings SET fields = ?, case_number = ?, language = ? WHERE id = ?')
        .run(JSON.stringify(fields), fields.caseNumber, fields.language, id);
      appendEvent(this.db, id, 'fields-updated', fields);
      return this.get(id);
    })();
  }

  /** An audit event that changes no state (a protocol made again, say). */
  note(id: number, type: string, payload: Record<string, unknown>, now = Date.now()): void {
    this.db.transaction(() => appendEvent(this.db, id, type, payload, now))();
  }

  /** Move to `to` if the state machine allows it; the event is part of the same transaction. */
  transition(id: number, to: SittingState, payload: Record<string, unknown> = {}, now = Date.now()): SittingRow {
    return this.db.transaction(() => {
      const s = this.get(id);
      this.check(s, to);
      this.db.prepare('UPDATE sittings SET state = ? WHERE id = ?').run(to, id);
      // The first start and the first end of recording are kept; a resume or a re-finalize does not move them.
      if (to === 'recording') {
        this.db.prepare('UPDATE sittings SET started_ms = coalesce(started_ms, ?), dir = coalesce(dir, ?) WHERE id = ?')
          .run(now, typeof payload.dir === 'string' ? payload.dir : null, id);
      }
      if (to === 'finalized' && typeof payload.finalDir === 'string') this.db.prepare('UPDATE sittings SET final_dir = ? WHERE id = ?').run(payload.finalDir, id);
      if (to === 'finalizing' || to === 'interrupted') this.db.prepare('UPDATE sittings SET stopped_ms = coalesce(stopped_ms, ?) WHERE id = ?').run(now, id);
      appendEvent(this.db, id, 'state', { from: s.state, to, ...payload }, now);
      return this.get(id);
    })();
  }

  /** The sittings a stopped engine left behind: recorded, or being finalized, when it stopped. */
  unfinished(): SittingRow[] {
    return this.list().filter((r) => r.state === 'recording' || r.state === 'paused' || r.state === 'finalizing');
  }

  /**
   * Finalized sittings with no protocol made since they were last finalized:
   * the engine died between the files and the protocol (the files are ready,
   * the protocol comes after them and never fails finalize).
   */
  withoutProtocol(): SittingRow[] {
    const ids = this.db.prepare(`SELECT s.id FROM sittings s WHERE s.state = 'finalized' AND NOT EXISTS (
        SELECT 1 FROM events p WHERE p.sitting_id = s.id AND p.type = 'protocol' AND p.id > (
          SELECT max(f.id) FROM events f WHERE f.sitting_id = s.id AND f.type = 'state' AND json_extract(f.payload, '$.to') = 'finalized'))`).all() as { id: number }[];
    return ids.map((r) => this.get(r.id));
  }

  /** Whether Stop was pressed after the sitting last started recording: an engine that died during the stop must not record it again. */
  stopRequested(id: number): boolean {
    const r = this.db.prepare(`SELECT
        (SELECT max(id) FROM events WHERE sitting_id = @id AND type = 'stop-requested') AS stop,
        (SELECT max(id) FROM events WHERE sitting_id = @id AND type = 'state' AND json_extract(payload, '$.to') = 'recording') AS rec`).get({ id }) as { stop: number | null; rec: number | null };
    return r.stop !== null && (r.rec === null || r.stop > r.rec);
  }

  /**
   * Whether a finished sitting may still be recorded into: it was interrupted
   * (the engine died, the power went) and nobody pressed Stop after it last
   * recorded. Its working folder is kept while this holds.
   */
  canContinue(id: number): boolean {
    return this.lastInterruption(id) !== undefined && !this.stopRequested(id);
  }

  /** The cause recorded with the sitting's latest interruption ('program-stopped' when none was known, as before causes were kept). */
  lastInterruption(id: number): { cause: InterruptionCause; wallMs: number } | undefined {
    const r = this.db.prepare("SELECT wall_ms, json_extract(payload, '$.cause') AS cause FROM events WHERE sitting_id = ? AND type = 'state' AND json_extract(payload, '$.to') = 'interrupted' ORDER BY id DESC LIMIT 1")
      .get(id) as { wall_ms: number; cause: string | null } | undefined;
    if (!r) return undefined;
    return { cause: INTERRUPTION_CAUSES.includes(r.cause as InterruptionCause) ? r.cause as InterruptionCause : 'program-stopped', wallMs: r.wall_ms };
  }

  /**
   * Refuses, before anything is started, a recording the state machine does
   * not allow (the same check as `transition`, without writing anything).
   */
  assertCanRecord(id: number): SittingRow {
    const s = this.get(id);
    this.check(s, 'recording');
    return s;
  }

  /** The state machine: the table, and that a sitting finished by Stop is sealed, while one that was interrupted may be continued. */
  private check(s: SittingRow, to: SittingState): void {
    if (s.state === 'finalized' && to === 'recording' && !this.canContinue(s.id)) {
      throw new AbkError(appError('sitting-finished', `Sitting ${s.base} is finished and its files are sealed: it cannot be recorded into again. Open a new sitting to record more.`,
        `Заседание ${s.base} завершено, его файлы закрыты: дописывать его нельзя. Чтобы продолжить запись, откройте новое заседание.`,
        `${s.base} отырысы аяқталды, оның файлдары жабылды: оған қайта жазуға болмайды. Жазуды жалғастыру үшін жаңа отырыс ашыңыз.`));
    }
    if (!TRANSITIONS[s.state].includes(to)) throw this.refused(s.state, to === 'recording' ? 'start recording' : `go to "${to}"`);
  }

  private refused(state: SittingState, what: string): AbkError {
    return new AbkError(appError('invalid-transition', `A sitting that is ${state} cannot ${what}.`,
      `Заседание в состоянии «${state}»: нельзя ${what}.`, `«${state}» күйіндегі отырыс: ${what} мүмкін емес.`));
  }

  /** A mark, stamped by the caller with the audio position at the moment it was made. */
  addMark(sittingId: number, input: MarkInput, now = Date.now()): Mark {
    const m = markInputSchema.parse(input);
    return this.db.transaction(() => {
      const s = this.get(sittingId);
      if (s.state !== 'recording' && s.state !== 'paused') throw this.refused(s.state, 'take a mark');
      const id = Number(this.db.prepare('INSERT INTO marks (sitting_id, kind, at_sample, wall_ms, seat, participant, text, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(sittingId, m.kind, m.atSample, m.wallMs, m.seat ?? null, m.participant ?? null, m.text ?? null, now).lastInsertRowid);
      appendEvent(this.db, sittingId, 'mark', { id, ...m }, now);
      const mark = this.mark(id);
      this.chainAppend(sittingId, 'mark', `mark ${id}`, markDigest(mark), now);
      return mark;
    })();
  }

  /** A correction is a new mark that replaces the old one in the protocol; both stay in the database. */
  correctMark(markId: number, changes: Partial<MarkInput>, now = Date.now()): Mark {
    return this.db.transaction(() => {
      const old = this.mark(markId);
      const sittingId = (this.db.prepare('SELECT sitting_id FROM marks WHERE id = ?').get(markId) as { sitting_id: number }).sitting_id;
      const m = markInputSchema.parse({ kind: old.kind, atSample: old.atSample, wallMs: old.wallMs, seat: old.seat, participant: old.participant, text: old.text, ...changes });
      const id = Number(this.db.prepare('INSERT INTO marks (sitting_id, kind, at_sample, wall_ms, seat, participant, text, corrects_id, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(sittingId, m.kind, m.atSample, m.wallMs, m.seat ?? null, m.participant ?? null, m.text ?? null, markId, now).lastInsertRowid);
      appendEvent(this.db, sittingId, 'mark-corrected', { id, corrects: markId, ...m }, now);
      const mark = this.mark(id);
      this.chainAppend(sittingId, 'mark', `mark ${id}`, markDigest(mark), now);
      return mark;
    })();
  }

  /**
   * The next entry of the sitting's chain (db/chain.ts), written to the audit
   * log at once: a closed segment (by the session, as its capture process
   * reports it), a mark (in the mark's own transaction).
   */
  chainAppend(sittingId: number, kind: ChainEntry['kind'], name: string, sha256: string, now = Date.now(), extra: ChainExtra = {}): ChainEntry {
    return this.db.transaction(() => {
      const row = this.db.prepare("SELECT payload FROM events WHERE sitting_id = ? AND type = 'chain' ORDER BY id DESC LIMIT 1").get(sittingId) as { payload: string } | undefined;
      const last = row ? chainEntrySchema.parse(JSON.parse(row.payload)) : undefined;
      const i = (last?.i ?? 0) + 1;
      const entry: ChainEntry = { i, kind, name, sha256, head: chainNext(last?.head ?? CHAIN_GENESIS, i, sha256), ...extra };
      appendEvent(this.db, sittingId, 'chain', entry, now);
      return entry;
    })();
  }

  /** The sitting's chain as the audit log holds it, in order, each entry through its schema. */
  chain(sittingId: number): ChainEntry[] {
    return (this.db.prepare("SELECT payload FROM events WHERE sitting_id = ? AND type = 'chain' ORDER BY id").all(sittingId) as { payload: string }[])
      .map((r) => chainEntrySchema.parse(JSON.parse(r.payload)));
  }

  /**
   * Each sitting's latest audit event of one of these types, by sitting (its
   * payload as stored: the caller parses it); one read of the log for them
   * all, as the library lists every sitting at each search.
   */
  lastEvents(types: readonly string[], sittingId?: number): Map<number, { type: string; wallMs: number; payload: unknown }> {
    const rows = this.db.prepare(`SELECT sitting_id, type, wall_ms, payload FROM events WHERE id IN (
        SELECT max(id) FROM events WHERE type IN (${types.map(() => '?').join(', ')}) AND sitting_id ${sittingId === undefined ? 'IS NOT NULL' : '= ?'} GROUP BY sitting_id)`)
      .all(...types, ...(sittingId === undefined ? [] : [sittingId])) as { sitting_id: number; type: string; wall_ms: number; payload: string }[];
    return new Map(rows.map((r) => [r.sitting_id, { type: r.type, wallMs: r.wall_ms, payload: JSON.parse(r.payload) as unknown }]));
  }

  /** Every event of a type for a sitting, oldest first (the payload as stored: the caller parses it). */
  eventsOf(sittingId: number, type: string): { wallMs: number; payload: unknown }[] {
    const rows = this.db.prepare('SELECT wall_ms, payload FROM events WHERE sitting_id = ? AND type = ? ORDER BY id').all(sittingId, type) as { wall_ms: number; payload: string }[];
    return rows.map((r) => ({ wallMs: r.wall_ms, payload: JSON.parse(r.payload) as unknown }));
  }

  private mark(id: number): Mark {
    return toMark(this.db.prepare('SELECT * FROM marks WHERE id = ?').get(id) as RawMark);
  }

  /** The marks as they stand (corrections applied), in timeline order; `all` includes what was corrected. */
  marks(sittingId: number, opts: { all?: boolean } = {}): Mark[] {
    const rows = this.db.prepare(opts.all
      ? 'SELECT * FROM marks WHERE sitting_id = ? ORDER BY at_sample, id'
      : 'SELECT * FROM marks m WHERE sitting_id = ? AND NOT EXISTS (SELECT 1 FROM marks c WHERE c.corrects_id = m.id) ORDER BY at_sample, id').all(sittingId) as RawMark[];
    return rows.map(toMark);
  }

  /** Record an audio segment as the capture process reports it (idempotent per file). */
  addAudioSegment(sittingId: number, seg: SegmentRecord & { file: string; startSample: number }): void {
    this.db.transaction(() => {
      const r = this.db.prepare(`INSERT OR IGNORE INTO segments (sitting_id, kind, file, source, take, idx, start_sample, frames, bytes, md5, sha256)
        VALUES (?, 'audio', ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(sittingId, seg.file, seg.stem, seg.take, seg.index, seg.startSample, seg.frames, seg.bytes, seg.md5, seg.sha256);
      if (r.changes > 0) appendEvent(this.db, sittingId, 'segment', { file: seg.file, frames: seg.frames, bytes: seg.bytes, md5: seg.md5, sha256: seg.sha256 });
    })();
  }
}
