import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Caps the upload speed of all servers together. The cap changes while a
 * sitting is recorded (the copy must never compete with the recording); a cap
 * of 0 holds the uploads until it is raised again. Each chunk gets the next
 * free slot at the current rate and waits for it, so a long idle spell gives
 * no burst afterwards.
 */
export class RateLimiter {
  private bytesPerSecond = Infinity;
  private nextFreeMs = 0;
  private waiters: (() => void)[] = [];

  /** KiB/s; 0 stops uploads, undefined lifts the cap. */
  set(kibPerSecond: number | undefined): void {
    this.bytesPerSecond = kibPerSecond === undefined ? Infinity : kibPerSecond * 1024;
    this.nextFreeMs = 0;
    for (const w of this.waiters.splice(0)) w();
  }

  get capped(): boolean {
    return this.bytesPerSecond !== Infinity;
  }

  /** Waits until `bytes` more may go out. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    while (this.bytesPerSecond === 0) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      signal?.throwIfAborted();
    }
    if (this.bytesPerSecond === Infinity) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextFreeMs);
    this.nextFreeMs = slot + (bytes / this.bytesPerSecond) * 1000;
    if (slot > now) await sleep(slot - now, undefined, signal ? { signal } : {});
  }
}
