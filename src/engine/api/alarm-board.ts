import type { EngineEvent } from '../../shared/api/contract.js';
import type { AppError } from '../../shared/result.js';

type Alarm = Extract<EngineEvent, { type: 'alarm' }>;

/**
 * What is wrong right now, for the secretary: each problem stays on the board
 * (and on screen) until it recovers or is acknowledged, so a UI that opens
 * late or reconnects still shows it.
 */
export class AlarmBoard {
  private readonly active = new Map<string, Alarm>();

  constructor(private readonly emit: (e: EngineEvent) => void) {}

  raise(key: string, source: string, subject: string, error: AppError): void {
    const alarm: Alarm = { type: 'alarm', key, source, subject, error, wallMs: Date.now() };
    this.active.set(key, alarm);
    this.emit(alarm);
  }

  /** Clear every alarm whose key starts with `prefix` (a device that recovered clears all its problems). */
  clear(prefix: string): void {
    for (const key of [...this.active.keys()]) {
      if (key.startsWith(prefix)) { this.active.delete(key); this.emit({ type: 'alarm-cleared', key }); }
    }
  }

  acknowledge(key: string): boolean {
    if (!this.active.delete(key)) return false;
    this.emit({ type: 'alarm-cleared', key });
    return true;
  }

  list(): Alarm[] {
    return [...this.active.values()];
  }
}
