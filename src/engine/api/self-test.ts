import type { PrecheckStatus } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import type { SelfTest } from '../../shared/health.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import { clockSync, type ClockSync } from '../recorder/clock-sync.js';
import { planDevices } from '../recorder/device-plan.js';
import type { RecorderEvent } from '../recorder/recorder-types.js';

/**
 * The pre-session check's verdicts as they build up: a microphone passes once
 * it has carried more than its noise floor (someone spoke into it), a seat
 * can be marked unused for this sitting (it is then not watched), and when
 * Start is pressed the whole check is kept for the protocol.
 */
export class SelfTestWatch {
  private readonly heard = new Set<string>();
  private unused: string[] = [];
  private servers: PrecheckStatus['servers'] = [];
  private clock: ClockSync | undefined;
  private startedWallMs = 0;

  constructor(private readonly config: () => AbkConfig) {}

  get stems(): string[] {
    return planDevices(this.config().audio.devices).flatMap((p) => p.tracks.map((t) => t.stem));
  }

  /** A new check begins: nothing heard yet; the clock is asked once. */
  begin(): void {
    this.heard.clear();
    this.startedWallMs = Date.now();
    void clockSync().then((c) => { this.clock = c; });
  }

  get running(): boolean {
    return this.startedWallMs > 0;
  }

  /** The check is over without a sitting started from it. */
  end(): void {
    this.startedWallMs = 0;
  }

  observe(e: RecorderEvent): void {
    if (e.type !== 'levels') return;
    for (const t of e.tracks) if (t.rmsDb >= this.config().health.quietDb + 10) this.heard.add(t.stem);
  }

  /** Seats unused in the coming sitting; unknown stems are refused by the caller. */
  setUnused(stems: string[]): void {
    this.unused = [...new Set(stems)];
  }

  get unwatched(): string[] {
    return this.unused.filter((s) => this.stems.includes(s));
  }

  noteServers(servers: PrecheckStatus['servers']): void {
    this.servers = servers;
  }

  microphones(): NonNullable<PrecheckStatus['microphones']> {
    return this.stems.map((stem) => ({ stem, result: this.unused.includes(stem) ? 'unused' : this.heard.has(stem) ? 'pass' : 'fail' }));
  }

  /** The check as it stands, for the protocol; null when no check ran before this Start. */
  snapshot(status: Pick<PrecheckStatus, 'disk' | 'cameras'>): SelfTest | null {
    if (!this.running) return null;
    const now = Date.now();
    return {
      at: `${almatyDate(now)} ${almatyTime(now)}`,
      microphones: this.microphones(),
      cameras: status.cameras.map((c) => ({ id: c.id, result: c.ok ? 'pass' : 'fail' })),
      disk: { hoursLeft: status.disk.hoursLeft, result: status.disk.level === 'full' ? 'fail' : 'pass' },
      servers: this.servers.map((s) => ({ id: s.id, result: s.reachable ? 'pass' : 'fail' })),
      clock: this.clock?.state ?? 'unknown',
    };
  }
}
