import { Conditions, type FindingCode, type HealthConfig } from '../../shared/health.js';

export type CameraGuardConfig = Pick<HealthConfig, 'freezeSeconds' | 'blackSeconds' | 'minFpsShare'>;
/** `atMs`: when the condition began (it is found only after it has lasted) or ended. */
export type CameraReport = (code: FindingCode, on: boolean, atMs: number, value?: number) => void;

/** How long after the last black frame (one a second is looked at) the picture counts as back. */
const BLACK_GAP_MS = 2500;
const FPS_WINDOW_MS = 5000;

/**
 * Watches a camera's picture as ffmpeg's preview branch judges it (one frame
 * a second through freezedetect and blackframe, whose lines it is fed), and
 * its frame rate from the progress reports: frozen, black, too few frames.
 */
export class CameraGuard {
  private blackSince: number | undefined;
  private lastBlack = 0;
  private readonly counts: { at: number; frame: number }[] = [];
  private readonly on = new Conditions();

  constructor(private readonly cfg: CameraGuardConfig, private readonly fps: number, private readonly report: CameraReport) {}

  line(text: string, now: number): void {
    if (text.includes('lavfi.freezedetect.freeze_start')) this.set('camera-frozen', true, now - this.cfg.freezeSeconds * 1000);
    else if (text.includes('lavfi.freezedetect.freeze_end')) this.set('camera-frozen', false, now);
    else if (/_blackframe_\d+ @ .*\bpblack:\d+/.test(text)) {
      if (this.blackSince === undefined || now - this.lastBlack > BLACK_GAP_MS) this.blackSince = now;
      this.lastBlack = now;
      // the first black frame is a second's picture already
      if (now - this.blackSince + 1000 >= this.cfg.blackSeconds * 1000) this.set('camera-black', true, this.blackSince - 1000);
    }
  }

  progress(frame: number, now: number): void {
    this.counts.push({ at: now, frame });
    while (this.counts.length > 2 && now - this.counts[1]!.at >= FPS_WINDOW_MS) this.counts.shift();
  }

  /** Once a second: the black picture over, the frame rate over 5 s. */
  tick(now: number): void {
    if (this.on.has('camera-black') && now - this.lastBlack > BLACK_GAP_MS) { this.blackSince = undefined; this.set('camera-black', false, this.lastBlack + 1000); }
    const first = this.counts[0];
    const last = this.counts[this.counts.length - 1];
    if (!first || !last || last.at - first.at < FPS_WINDOW_MS * 0.9 || first.frame === 0) return;
    const rate = ((last.frame - first.frame) * 1000) / (last.at - first.at);
    const floor = this.fps * this.cfg.minFpsShare;
    if (rate < floor) this.set('camera-fps-low', true, first.at, Math.round(rate * 10) / 10);
    else if (rate >= Math.min(this.fps, floor * 1.2)) this.set('camera-fps-low', false, now);
  }

  /** The camera's ffmpeg ended (lost, paused, stopped): whatever it found is over with it. */
  end(now = Date.now()): void {
    for (const code of this.on.list()) this.set(code, false, now);
    this.counts.length = 0;
    this.blackSince = undefined;
  }

  private set(code: FindingCode, on: boolean, atMs: number, value?: number): void {
    if (this.on.change(code, on)) this.report(code, on, atMs, value);
  }
}
