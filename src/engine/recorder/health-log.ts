import { FINDING_SOURCES, isFindingCode, type Finding, type FindingCode, type SelfTest } from '../../shared/health.js';

export type FindingSource = (typeof FINDING_SOURCES)[number];

/** What the guards found in a sitting, as its summary keeps it: the findings on the timeline, the seats not watched, the self-test. */
export interface SummaryHealth { findings: Finding[]; unwatched: string[]; selfTest: SelfTest | null }

/**
 * A finding's event in the sitting's events log, from which a crashed
 * sitting's findings are rebuilt: `wallMs` when it began or ended by the wall
 * clock, `atMs` where that is on the sitting's timeline (from the monotonic
 * clock, so a step of the wall clock does not move it).
 */
export interface FindingEvent { type: 'finding'; source: FindingSource; subject: string; code: FindingCode; on: boolean; value?: number; wallMs: number; atMs: number }
export type FindingChange = Omit<FindingEvent, 'type'>;

/**
 * The findings of one sitting, each from when it began to when it ended (or
 * open until Stop). The same condition told again while it is open is one finding.
 */
export class HealthLog {
  private readonly records: Finding[] = [];

  /** Applies a begin or end; false when it changes nothing (already open, or not open). */
  apply(e: Omit<FindingChange, 'wallMs'>): boolean {
    const open = this.records.find((r) => r.toMs === null && r.source === e.source && r.subject === e.subject && r.code === e.code);
    if (e.on) {
      if (open) return false;
      this.records.push({ source: e.source, subject: e.subject, code: e.code, fromMs: e.atMs, toMs: null, ...(e.value !== undefined ? { value: e.value } : {}) });
      return true;
    }
    if (!open) return false;
    open.toMs = Math.max(open.fromMs, e.atMs);
    return true;
  }

  /** A finding that is an instant (samples lost, a clock step): begun and ended at once. */
  instant(e: Omit<FindingChange, 'wallMs' | 'on'>): void {
    this.records.push({ source: e.source, subject: e.subject, code: e.code, fromMs: e.atMs, toMs: e.atMs, ...(e.value !== undefined ? { value: e.value } : {}) });
  }

  /** A finding of the part recorded before an interruption. */
  restore(r: Finding): void {
    this.records.push({ ...r });
  }

  /** The findings open now. */
  open(): Finding[] {
    return this.records.filter((r) => r.toMs === null).map((r) => ({ ...r }));
  }

  get all(): Finding[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Rebuilt from a sitting's events log (a sitting whose engine died before its summary). */
  static fromEvents(events: Record<string, unknown>[]): Finding[] {
    const log = new HealthLog();
    for (const e of events) {
      if (e.type !== 'finding' || typeof e.code !== 'string' || !isFindingCode(e.code) || !FINDING_SOURCES.includes(e.source as FindingSource) || typeof e.atMs !== 'number') continue;
      const f = { source: e.source as FindingSource, subject: String(e.subject), code: e.code, on: e.on === true, atMs: Math.round(e.atMs), ...(typeof e.value === 'number' ? { value: e.value } : {}) };
      if (e.instant === true) log.instant(f);
      else log.apply(f);
    }
    return log.all;
  }
}
