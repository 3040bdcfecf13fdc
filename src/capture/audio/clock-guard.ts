import { Conditions, type FindingCode, type SignalGuardConfig } from '../../shared/health.js';

type ClockConfig = Pick<SignalGuardConfig, 'clockWindowSeconds' | 'clockStepMs' | 'maxDriftPpm' | 'driftAfterSeconds' | 'captureLagMs'>;
/** `atMono`: when it began, on the monotonic clock of `sample` (performance.now()). */
export type ClockReport = (code: FindingCode, on: boolean, value: number, atMono: number) => void;

/**
 * One sound card's samples against the monotonic clock. Samples can reach
 * this process late (queued by PortAudio while its loop was busy) but never
 * early, so the least lag seen in a window is the card's own position: a
 * jump of it between windows is samples lost (or added), a slow slope is the
 * card's clock drifting, and the lag of now above that least lag is the
 * capture falling behind.
 */
export class ClockGuard {
  private startMono = 0;
  private windowStart = 0;
  private windowMin = Number.POSITIVE_INFINITY;
  /** When in the window its least lag was seen, and the least lag of its last quarter. */
  private windowMinAt = 0;
  private tailMin = Number.POSITIVE_INFINITY;
  private previousMin: number | undefined;
  private baseline: number | undefined;
  private baselineAt = 0;
  /** The card's clock against the system's, as last measured (ppm; positive: the card runs fast). */
  private measuredPpm: number | undefined;
  /** Steps already reported, taken out of the drift. */
  private stepped = 0;
  private readonly on = new Conditions();
  /** A step still going on at the end of the last window, told once the next shows how much more (a loss across a window's edge is one loss). */
  private pending: { ms: number; atMono: number } | undefined;
  /**
   * The last moment the lag was still at the level before a step: a step is
   * found only when a whole window's least lag has moved, a window or two
   * after it happened, so it is told as of this moment, not of its finding.
   */
  private levelAt = 0;

  constructor(private readonly cfg: ClockConfig, private readonly rate: number, private readonly report: ClockReport) {}

  /** The card's first sample arrived at `monoMs` (performance.now()). */
  begin(monoMs: number): void {
    this.startMono = monoMs;
    this.windowStart = monoMs;
    this.levelAt = monoMs;
  }

  /**
   * How fast the card's clock runs against the system clock (parts per
   * million; positive: fast), once `driftAfterSeconds` have been measured.
   * The video is stamped by the system clock, so finalize uses it to keep the
   * A/V file in sync over hours.
   */
  cardPpm(): number | undefined {
    return this.measuredPpm;
  }

  /** `frames` received by `monoMs`. */
  sample(monoMs: number, frames: number): void {
    if (this.startMono === 0) return;
    const lag = monoMs - this.startMono - (frames * 1000) / this.rate;
    const into = monoMs - this.windowStart;
    if (lag < this.windowMin) { this.windowMin = lag; this.windowMinAt = into; }
    if (into >= this.cfg.clockWindowSeconds * 750) this.tailMin = Math.min(this.tailMin, lag);
    if (Math.abs(lag - (this.previousMin ?? this.windowMin)) <= this.cfg.clockStepMs / 2) this.levelAt = monoMs;
    if (this.baseline !== undefined) this.lagging(lag - (this.previousMin ?? this.baseline), monoMs);
    if (into < this.cfg.clockWindowSeconds * 1000) return;
    this.closeWindow(monoMs);
  }

  private closeWindow(monoMs: number): void {
    const min = this.windowMin;
    // a lag that rose after the least (a loss) or whose least came at the end (samples added): still going on at the window's edge
    const goingOn = { up: this.tailMin - min, down: this.windowMinAt >= this.cfg.clockWindowSeconds * 750 };
    this.windowStart = monoMs;
    this.windowMin = Number.POSITIVE_INFINITY;
    this.tailMin = Number.POSITIVE_INFINITY;
    // the first window holds the start, when the driver may hand over its buffers in a burst
    if (this.previousMin === undefined) { this.previousMin = min; return; }
    if (this.baseline === undefined) { this.baseline = min; this.baselineAt = monoMs; }
    const step = min - this.previousMin;
    this.previousMin = min;
    this.steps(step, goingOn, monoMs);
    const elapsed = monoMs - this.baselineAt;
    if (elapsed < this.cfg.driftAfterSeconds * 1000) return;
    const ppm = ((min - this.baseline - this.stepped - (this.pending?.ms ?? 0)) / elapsed) * 1e6;
    this.measuredPpm = -ppm; // a lag that shrinks is a card that gives more samples than the clock's time
    this.set('audio-clock-drift', Math.abs(ppm) > this.cfg.maxDriftPpm ? true : Math.abs(ppm) < this.cfg.maxDriftPpm * 0.8 ? false : this.on.has('audio-clock-drift'), Math.round(ppm), monoMs);
  }

  /**
   * A jump between windows is samples lost (or added), told at once unless
   * it was still going on at the window's edge: then the next window's step
   * of the same sign is added to it and the whole told once. Only then: a
   * late window alone (a busy machine) is not a loss going on.
   */
  private steps(step: number, goingOn: { up: number; down: boolean }, monoMs: number): void {
    const p = this.pending;
    if (p) {
      this.pending = undefined;
      if (Math.sign(step) === Math.sign(p.ms) && Math.abs(step) > this.cfg.clockStepMs / 4) p.ms += step;
      this.tell(p.ms, p.atMono);
      if (Math.sign(step) === Math.sign(p.ms)) return;
    }
    if (Math.abs(step) <= this.cfg.clockStepMs) return;
    // the lag left its level at most two windows ago (a step is found at the close of the first window wholly after it)
    const atMono = Math.max(this.levelAt, monoMs - this.cfg.clockWindowSeconds * 2000);
    const still = step > 0 ? goingOn.up > this.cfg.clockStepMs / 4 : goingOn.down;
    if (still) this.pending = { ms: step, atMono };
    else this.tell(step, atMono);
  }

  /** An instant: told once, kept until acknowledged. */
  private tell(ms: number, atMono: number): void {
    this.stepped += ms;
    this.report(ms > 0 ? 'audio-samples-lost' : 'audio-samples-added', true, Math.round(Math.abs(ms)), atMono);
  }

  private lagging(behindMs: number, monoMs: number): void {
    const over = behindMs > this.cfg.captureLagMs;
    const under = behindMs < this.cfg.captureLagMs / 2;
    if (over || under) this.set('capture-lag', over, Math.round(behindMs), monoMs);
  }

  private set(code: FindingCode, on: boolean, value: number, monoMs: number): void {
    if (this.on.change(code, on)) this.report(code, on, value, monoMs);
  }
}
