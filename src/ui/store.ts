import { useSyncExternalStore } from 'react';
import type { EngineEvent, MarkView, ReplicaView } from '../shared/api/contract.js';
import type { AppError } from '../shared/result.js';

type Alarm = Extract<EngineEvent, { type: 'alarm' }>;
export interface Progress { task: string; stage: string; fraction: number; secondsLeft?: number }
export interface Level { peakDb: number; rmsDb: number; at: number }

/**
 * What the engine has told this window. Levels change ten times a second per
 * device and are read by the meters' animation frames directly, outside
 * React; everything else notifies the screens that use it.
 */
class EngineState {
  readonly levels = new Map<string, Level>();
  positionMs = 0;
  positionAt = 0;
  connected = false;
  alarms: Alarm[] = [];
  progress = new Map<number, Progress>();
  states = new Map<number, string>();
  marks: { sittingId: number; mark: MarkView; ref?: string }[] = [];
  finalized = new Map<number, { ok: boolean; message?: Alarm['error'] }>();
  /** Copies on the regional servers of the sittings whose copies changed since the page opened, by base. */
  replicas = new Map<string, ReplicaView[]>();
  /** The last copy written to a disc or stick, as it ended. */
  exported: Extract<EngineEvent, { type: 'exported' }> | undefined;
  /** The setup screen's meters: each channel's latest peak of the input being metered. */
  setupPeaks: { device: string; peaks: number[]; at: number } | undefined;
  version = 0;
  private readonly listeners = new Set<() => void>();

  subscribe = (l: () => void): (() => void) => { this.listeners.add(l); return () => this.listeners.delete(l); };
  private changed(): void { this.version++; this.listeners.forEach((l) => l()); }

  setConnected(up: boolean): void { this.connected = up; this.changed(); }
  /** The engine's alarms as it lists them (on connecting); this window's own (source 'ui') are kept. */
  setAlarms(alarms: Alarm[]): void { this.alarms = [...alarms, ...this.alarms.filter((a) => a.source === 'ui')]; this.changed(); }

  /** An alarm of this window's own (a mark the engine did not save): shown and sounded like the engine's, acknowledged here. */
  raiseLocalAlarm(key: string, subject: string, error: AppError): void {
    this.alarms = [...this.alarms.filter((a) => a.key !== key), { type: 'alarm', key, source: 'ui', subject, error, wallMs: Date.now() }];
    this.changed();
  }

  clearLocalAlarm(key: string): void {
    if (!this.alarms.some((a) => a.key === key)) return;
    this.alarms = this.alarms.filter((a) => a.key !== key);
    this.changed();
  }

  apply(e: EngineEvent): void {
    switch (e.type) {
      case 'levels': {
        const now = performance.now();
        e.tracks.forEach((t) => this.levels.set(t.stem, { peakDb: t.peakDb, rmsDb: t.rmsDb, at: now }));
        this.positionMs = e.positionMs;
        this.positionAt = now;
        return; // no re-render: the meters and the clock read these on their own frames
      }
      case 'setup-levels': this.setupPeaks = { device: e.device, peaks: e.peaks, at: performance.now() }; break;
      case 'alarm': this.alarms = [...this.alarms.filter((a) => a.key !== e.key), e]; break;
      case 'alarm-cleared': this.alarms = this.alarms.filter((a) => a.key !== e.key); break;
      case 'progress': this.progress.set(e.sittingId, { task: e.task, stage: e.stage, fraction: e.fraction, ...(e.secondsLeft !== undefined ? { secondsLeft: e.secondsLeft } : {}) }); break;
      case 'exported': this.exported = e; break;
      case 'state': this.states.set(e.sittingId, e.state); break;
      case 'replicas': this.replicas.set(e.base, e.replicas); break;
      case 'mark': if (!this.marks.some((m) => m.mark.id === e.mark.id)) this.marks = [...this.marks, { sittingId: e.sittingId, mark: e.mark, ...(e.ref ? { ref: e.ref } : {}) }]; break;
      case 'finalized': this.finalized.set(e.sittingId, { ok: e.ok, ...(e.error ? { message: e.error } : {}) }); break;
    }
    this.changed();
  }
}

export const engine = new EngineState();

/** Re-render when the engine's state (other than levels) changes. */
export function useEngine(): EngineState {
  useSyncExternalStore(engine.subscribe, () => engine.version);
  return engine;
}
