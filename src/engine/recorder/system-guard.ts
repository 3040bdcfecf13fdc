import { availableParallelism, loadavg } from 'node:os';
import type { HealthConfig } from '../../shared/health.js';
import { clockSync, type ClockSync } from './clock-sync.js';
import type { FindingChange } from './health-log.js';

type Report = (f: Omit<FindingChange, 'atMs'>, what: string) => void;
const LOAD_EVERY_MS = 10_000;

/**
 * The PC around the recording: its load (the 1-minute load average per core;
 * Windows has none to give), and whether the system clock is synchronised,
 * asked when recording starts and every `clockSyncMinutes`.
 */
export class SystemGuard {
  private readonly timers: NodeJS.Timeout[] = [];
  private overloaded = false;
  private unsynced = false;
  /** The clock's state as last asked, for the protocol's self-test. */
  lastSync: ClockSync | undefined;

  constructor(private readonly cfg: HealthConfig, private readonly report: Report,
    private readonly ask: () => Promise<ClockSync> = clockSync, private readonly load: () => number = () => loadavg()[0]! / availableParallelism()) {}

  start(): void {
    this.timers.push(setInterval(() => this.checkLoad(), LOAD_EVERY_MS));
    void this.checkClock();
    if (this.cfg.clockSyncMinutes > 0) this.timers.push(setInterval(() => void this.checkClock(), this.cfg.clockSyncMinutes * 60_000));
  }

  stop(): void {
    this.timers.forEach(clearInterval);
    this.timers.length = 0;
  }

  private checkLoad(): void {
    const perCore = Math.round(this.load() * 100) / 100;
    const over = perCore > this.cfg.maxLoadPerCore;
    if (over === this.overloaded || (!over && perCore > this.cfg.maxLoadPerCore * 0.8)) return;
    this.overloaded = over;
    this.report({ source: 'system', subject: 'load', code: 'system-overload', on: over, value: perCore, wallMs: Date.now() }, 'PC');
  }

  private async checkClock(): Promise<void> {
    const s = await this.ask();
    this.lastSync = s;
    const unsynced = s.state === 'unsynced';
    if (unsynced === this.unsynced) return;
    this.unsynced = unsynced;
    this.report({ source: 'clock', subject: 'sync', code: 'clock-unsynced', on: unsynced, wallMs: Date.now() }, s.detail);
  }
}
