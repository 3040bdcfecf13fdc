import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Caps the upload speed of all servers together. The cap changes while a
 * sitting is recorded (the copy must never compete with the recording); a cap
 * of 0 holds the uploads until it is raised again. Each chunk gets the next
 * free slot at the current rate and waits for it, so a long idle spell gives
 * no burst afterwards.
 *
 * A transfer that caps itself (OpenSSH's `sftp -l`) takes `perTransfer()`, the
 * cap split evenly between the servers, so together they stay under it, and
 * is told of every change (`onChange`) to go on at the new speed.
 */
export class RateLimiter {
  private bytesPerSecond = Infinity;
  private nextFreeMs = 0;
  private waiters: (() => void)[] = [];
  private readonly listeners = new Set<() => void>();
  /** How many servers share the cap. */
  parties = 1;

  /** KiB/s; 0 stops uploads, undefined lifts the cap. */
  set(kibPerSecond: number | undefined): void {
    const next = kibPerSecond === undefined ? Infinity : kibPerSecond * 1024;
    const changed = next !== this.bytesPerSecond;
    this.bytesPerSecond = next;
    this.nextFreeMs = 0;
    for (const w of this.waiters.splice(0)) w();
    if (changed) for (const l of [...this.listeners]) l();
  }

  get capped(): boolean {
    return this.bytesPerSecond !== Infinity;
  }

  /** Called on every change of the cap; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits while uploads are held (cap 0); then one transfer's share of the cap in KiB/s, or undefined when there is none. */
  async perTransfer(signal?: AbortSignal): Promise<number | undefined> {
    while (this.bytesPerSecond === 0) await this.held(signal);
    return this.bytesPerSecond === Infinity ? undefined : Math.max(1, Math.floor(this.bytesPerSecond / 1024 / Math.max(1, this.parties)));
  }

  /** One wait for the cap to be raised from 0, or for the signal to abort (then it throws). */
  private async held(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await new Promise<void>((resolve) => {
      const done = (): void => { signal?.removeEventListener('abort', done); resolve(); };
      this.waiters.push(done);
      signal?.addEventListener('abort', done, { once: true });
    });
    signal?.throwIfAborted();
  }

  /** Waits until `bytes` more may go out. */
  async take(bytes: number, signal?: AbortSignal): Promise<void> {
    while (this.bytesPerSecond === 0) await this.held(signal);
    if (this.bytesPerSecond === Infinity) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextFreeMs);
    this.nextFreeMs = slot + (bytes / this.bytesPerSecond) * 1000;
    if (slot > now) await sleep(slot - now, undefined, signal ? { signal } : {});
  }
}
