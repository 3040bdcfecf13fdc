/**
 * The engine's clock for placing things on a sitting's timeline: the wall
 * clock as it was when the engine started, carried forward by the monotonic
 * clock (`performance.now`), so a step of the system clock (NTP, a person
 * changing the time) never moves a mark or a take. The wall clock is still
 * recorded beside every fact; `drift` is how far it has moved away, and a
 * jump in it is a clock step, logged by the recorder.
 */
export class MonotonicClock {
  private readonly wall0 = Date.now();
  private readonly mono0 = performance.now();

  /** Milliseconds since the epoch that never step. */
  now(): number {
    return this.wall0 + (performance.now() - this.mono0);
  }

  /** The wall clock minus this one: 0 at start, changed by every step (and slowly by slewing). */
  drift(): number {
    return Date.now() - this.now();
  }
}

export const engineClock = new MonotonicClock();

/** A jump of the wall clock larger than this between two checks a second apart is a step, not slewing. */
export const CLOCK_STEP_MS = 1000;
