/**
 * When a supervisor starts a dead engine again: at once the first time (the
 * recording waits for it), then backing off if it keeps dying soon after it
 * started, and never giving up. An engine that ran for `stableMs` before it
 * died starts the count afresh.
 */
export class RestartPolicy {
  private failures = 0;

  constructor(private readonly delaysMs: readonly number[] = [0, 500, 2000, 5000], private readonly stableMs = 60_000) {}

  /** How long to wait before starting again an engine that ran from `startedMs` until `exitedMs`. */
  delayAfter(startedMs: number, exitedMs: number): number {
    if (exitedMs - startedMs >= this.stableMs) this.failures = 0;
    const delay = this.delaysMs[Math.min(this.failures, this.delaysMs.length - 1)]!;
    this.failures += 1;
    return delay;
  }

  /** Restarts in a row that died soon after starting: the supervisor tells the user past a few. */
  get consecutive(): number {
    return this.failures;
  }
}
