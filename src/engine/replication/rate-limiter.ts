/**
 * Caps the upload speed of all servers together. The cap changes while a
 * sitting is recorded (the copy must never compete with the recording); a cap
 * of 0 holds the uploads until it is raised again.
 */
export class RateLimiter {
  private bytesPerSecond = Infinity;
  private windowStart = Date.now();
  private used = 0;
  private waiters: (() => void)[] = [];

  /** KiB/s; 0 stops uploads, undefined lifts the cap. */
  set(kibPerSecond: number | undefined): void {
    this.bytesPerSecond = kibPerSecond === undefined ? Infinity : kibPerSecond * 1024;
    this.windowStart = Date.now();
    this.used = 0;
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
    const rate = this.bytesPerSecond;
    const now = Date.now();
    // a long idle spell gives no burst afterwards
    if (now - this.windowStart > 1000 && this.used / rate * 1000 < now - this.windowStart) { this.windowStart = now - 100; this.used = 0; }
    this.used += bytes;
    const due = this.windowStart + (this.used / rate) * 1000;
    if (due > now) await sleep(due - now, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason as Error); return; }
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(signal!.reason as Error); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
