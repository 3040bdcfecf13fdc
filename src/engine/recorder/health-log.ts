import { FINDING_SOURCES, isFindingCode, type Finding, type FindingCode, type SelfTest } from '../../shared/health.js';

export type FindingSource = (typeof FINDING_SOURCES)[number];

/** A guard's finding as the recorder keeps it, in wall-clock time (the manifest puts it on the timeline). */
export interface HealthRecord { source: FindingSource; subject: string; code: FindingCode; fromWallMs: number; toWallMs: number | null; value?: number }
export interface SummaryHealth { findings: HealthRecord[]; unwatched: string[]; selfTest: SelfTest | null }

/** A finding's event in the sitting's events log: how a crashed sitting's findings are rebuilt. */
export interface FindingEvent { type: 'finding'; source: FindingSource; subject: string; code: FindingCode; on: boolean; value?: number; wallMs: number }

/**
 * The findings of one sitting, each from when it began to when it ended (or
 * open until Stop). The same condition told again while it is open is one finding.
 */
export class HealthLog {
  private readonly records: HealthRecord[] = [];

  /** Applies a begin or end; false when it changes nothing (already open, or not open). */
  apply(e: Omit<FindingEvent, 'type'>): boolean {
    const open = this.records.find((r) => r.toWallMs === null && r.source === e.source && r.subject === e.subject && r.code === e.code);
    if (e.on) {
      if (open) return false;
      this.records.push({ source: e.source, subject: e.subject, code: e.code, fromWallMs: e.wallMs, toWallMs: null, ...(e.value !== undefined ? { value: e.value } : {}) });
      return true;
    }
    if (!open) return false;
    open.toWallMs = e.wallMs;
    return true;
  }

  /** A finding that is an instant (samples lost, a clock step): begun and ended at once. */
  instant(source: FindingSource, subject: string, code: FindingCode, wallMs: number, value?: number): void {
    this.records.push({ source, subject, code, fromWallMs: wallMs, toWallMs: wallMs, ...(value !== undefined ? { value } : {}) });
  }

  /** A finding of the part recorded before an interruption: one still open then ended with it. */
  restore(r: HealthRecord): void {
    this.records.push({ ...r });
  }

  /** The findings open now. */
  open(): HealthRecord[] {
    return this.records.filter((r) => r.toWallMs === null).map((r) => ({ ...r }));
  }

  get all(): HealthRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  /** Rebuilt from a sitting's events log (a sitting whose engine died before its summary). */
  static fromEvents(events: Record<string, unknown>[]): HealthRecord[] {
    const log = new HealthLog();
    for (const e of events) {
      if (e.type !== 'finding' || typeof e.code !== 'string' || !isFindingCode(e.code) || !FINDING_SOURCES.includes(e.source as FindingSource)) continue;
      const f = { source: e.source as FindingSource, subject: String(e.subject), code: e.code, on: e.on === true, wallMs: Number(e.wallMs), ...(typeof e.value === 'number' ? { value: e.value } : {}) };
      if (e.instant === true) log.instant(f.source, f.subject, f.code, f.wallMs, f.value);
      else log.apply(f);
    }
    return log.all;
  }
}

/** A record on the sitting's timeline (ms from its zero), as the manifest keeps it. */
export const onTimeline = (r: HealthRecord, zeroWallMs: number): Finding => ({
  source: r.source, subject: r.subject, code: r.code, fromMs: Math.max(0, Math.round(r.fromWallMs - zeroWallMs)),
  toMs: r.toWallMs === null ? null : Math.max(0, Math.round(r.toWallMs - zeroWallMs)), ...(r.value !== undefined ? { value: r.value } : {}),
});
