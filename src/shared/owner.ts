/**
 * Owns resources (processes, timers, listeners, streams) and releases all of
 * them, newest first, on every path: after a success, after a failure, once.
 * A release that throws does not keep the others from running; what failed
 * is returned, so the caller can say so.
 */
export class Owner {
  private readonly held: { name: string; release: () => unknown }[] = [];
  private released = false;

  /** `onLateError`: where a failed release of something taken after `release()` is told (nothing else can catch it). */
  constructor(private readonly onLateError: (name: string, error: Error) => void) {}

  /** Hold a resource until `release()`; one taken after the release is released at once. */
  own(name: string, release: () => unknown): void {
    if (this.released) {
      void Promise.resolve().then(release).catch((e: unknown) => this.onLateError(name, e as Error));
      return;
    }
    this.held.push({ name, release });
  }

  timer<T extends Parameters<typeof clearInterval>[0]>(name: string, t: T): T {
    this.own(name, () => clearInterval(t));
    return t;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Names of what is held now (for tests and for the log of an abort). */
  get holding(): string[] {
    return this.held.map((h) => h.name);
  }

  async release(): Promise<{ name: string; error: Error }[]> {
    this.released = true;
    const failed: { name: string; error: Error }[] = [];
    while (this.held.length > 0) {
      const h = this.held.pop()!;
      try {
        await h.release();
      } catch (e) {
        failed.push({ name: h.name, error: e as Error });
      }
    }
    return failed;
  }
}
