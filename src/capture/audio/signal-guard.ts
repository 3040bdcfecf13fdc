import { Conditions, type FindingCode, type SignalGuardConfig } from '../../shared/health.js';
import { rmsOf, toDb as db, type BlockStats } from './block-stats.js';

/** `atMs`: when the condition began (for `on`, found only after it had lasted) or ended. */
export type GuardReport = (stem: string, code: FindingCode, on: boolean, atMs: number, value?: number) => void;

/** Raw steps within which a block counts as flat: digital zero, or a value that does not move. */
const FLAT_STEPS = 2;
/** Others must carry speech for at least this share of a silent stretch for it to count against a microphone. */
const SPEECH_SHARE = 0.1;
/** A steady tone's peak is at most twice its RMS (a sine's is 1.41×); speech's is far more. */
const TONE_CREST = 2;
const HUM_CLEAR_MS = 5000;

/** A stretch during which a condition has held: since when, and how long others spoke meanwhile. */
class Run {
  since: number | undefined;
  othersSpoke = 0;
  hold(now: number, blockMs: number, othersSpeak: boolean): number {
    this.since ??= now - blockMs;
    if (othersSpeak) this.othersSpoke += blockMs;
    return now - this.since;
  }
  reset(): void { this.since = undefined; this.othersSpoke = 0; }
}

/** Sums over the last `size` blocks. */
class Window {
  private readonly items: { a: number; b: number; c: number }[] = [];
  a = 0;
  b = 0;
  c = 0;
  constructor(private readonly size: number) {}
  push(a: number, b: number, c = 0): void {
    this.items.push({ a, b, c });
    this.a += a; this.b += b; this.c += c;
    if (this.items.length > this.size) { const old = this.items.shift()!; this.a -= old.a; this.b -= old.b; this.c -= old.c; }
  }
  get full(): boolean { return this.items.length >= this.size; }
}
/** A DC fault is an offset that is most of the signal: what varies around it is under this share of it. */
const DC_SPREAD = 0.25;

class TrackGuard {
  readonly flat = new Run();
  readonly quiet = new Run();
  readonly tone = new Run();
  readonly clip: Window;
  readonly dc: Window;
  readonly on = new Conditions();
  clipHotAt = 0;
  toneAt = 0;
  constructor(cfg: SignalGuardConfig, blockMs: number) {
    this.clip = new Window(Math.max(1, Math.round((cfg.clipWindowSeconds * 1000) / blockMs)));
    this.dc = new Window(Math.max(1, Math.round((cfg.dcWindowSeconds * 1000) / blockMs)));
  }
}

/**
 * Watches every microphone of the capture process from the figures of each
 * block: a microphone that gives digital silence, or nothing above its noise
 * floor, for long while the others carry speech (a microphone that is merely
 * not spoken into still hears the room, and one whose seat nobody speaks
 * from is not blamed while nobody speaks at all); clipping; a DC offset; a
 * steady hum. Each condition is reported once when it begins and once when
 * it ends. Seats marked unused in this sitting are not watched.
 */
export class SignalGuard {
  private readonly tracks = new Map<string, TrackGuard>();

  constructor(private readonly cfg: SignalGuardConfig, stems: string[], unwatched: readonly string[],
    private readonly report: GuardReport, private readonly blockMs = 100) {
    for (const s of stems) if (!unwatched.includes(s)) this.tracks.set(s, new TrackGuard(cfg, blockMs));
  }

  /** One block of every microphone (those of devices that sent nothing this time are absent). */
  block(now: number, stats: Map<string, BlockStats>): void {
    const speaking = new Set<string>();
    for (const [stem, s] of stats) if (this.tracks.has(stem) && db(rmsOf(s)) >= this.cfg.speechDb) speaking.add(stem);
    for (const [stem, s] of stats) {
      const g = this.tracks.get(stem);
      if (!g || s.count === 0) continue;
      const othersSpeak = speaking.size > (speaking.has(stem) ? 1 : 0);
      this.silence(stem, g, s, now, othersSpeak);
      this.clipping(stem, g, s, now);
      this.offset(stem, g, s, now);
      this.hum(stem, g, s, now);
    }
  }

  private set(stem: string, g: TrackGuard, code: FindingCode, on: boolean, atMs: number, value?: number): void {
    if (g.on.change(code, on)) this.report(stem, code, on, atMs, value);
  }

  private silence(stem: string, g: TrackGuard, s: BlockStats, now: number, othersSpeak: boolean): void {
    const flat = s.max - s.min <= FLAT_STEPS;
    const quiet = db(rmsOf(s)) < this.cfg.quietDb;
    const judged = (run: Run, seconds: number): boolean => {
      const long = run.hold(now, this.blockMs, othersSpeak);
      return long >= seconds * 1000 && run.othersSpoke >= SPEECH_SHARE * long;
    };
    const start = now - this.blockMs;
    if (flat) { if (judged(g.flat, this.cfg.deadSeconds)) this.set(stem, g, 'mic-dead', true, g.flat.since!); } else { g.flat.reset(); this.set(stem, g, 'mic-dead', false, start); }
    if (quiet) {
      if (judged(g.quiet, this.cfg.quietSeconds) && !g.on.has('mic-dead')) this.set(stem, g, 'mic-quiet', true, g.quiet.since!);
    } else { g.quiet.reset(); this.set(stem, g, 'mic-quiet', false, start); }
  }

  private clipping(stem: string, g: TrackGuard, s: BlockStats, now: number): void {
    g.clip.push(s.clipped, s.count);
    const share = g.clip.b > 0 ? g.clip.a / g.clip.b : 0;
    if (share >= this.cfg.clipShare) {
      g.clipHotAt = now;
      this.set(stem, g, 'mic-clipping', true, now - this.cfg.clipWindowSeconds * 1000, Math.round(share * 10000) / 100);
    } else if (now - g.clipHotAt >= this.cfg.clipClearSeconds * 1000) this.set(stem, g, 'mic-clipping', false, g.clipHotAt);
  }

  private offset(stem: string, g: TrackGuard, s: BlockStats, now: number): void {
    g.dc.push(s.sum, s.count, s.sumSquares);
    if (!g.dc.full) return;
    const mean = Math.abs(g.dc.a / g.dc.b);
    const spread = Math.sqrt(Math.max(0, g.dc.c / g.dc.b - mean * mean));
    if (mean >= this.cfg.dcLevel && spread < DC_SPREAD * mean) this.set(stem, g, 'mic-dc', true, now - this.cfg.dcWindowSeconds * 1000, Math.round(mean * 1000) / 1000);
    else if (mean < this.cfg.dcLevel / 2 || spread > 2 * DC_SPREAD * mean) this.set(stem, g, 'mic-dc', false, now);
  }

  private hum(stem: string, g: TrackGuard, s: BlockStats, now: number): void {
    const rms = rmsOf(s);
    const tone = db(rms) >= this.cfg.humDb && s.peak <= TONE_CREST * rms;
    if (tone) {
      g.toneAt = now;
      if (g.tone.hold(now, this.blockMs, true) >= this.cfg.humSeconds * 1000) this.set(stem, g, 'mic-hum', true, g.tone.since!, Math.round(db(rms)));
    } else {
      g.tone.reset();
      if (now - g.toneAt >= HUM_CLEAR_MS) this.set(stem, g, 'mic-hum', false, g.toneAt);
    }
  }
}
