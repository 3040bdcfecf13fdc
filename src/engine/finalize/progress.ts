export interface FinalizeProgress { step: string; percent: number; etaMs: number | undefined }

/** Shares of the work: the microphone joins run beside the ffmpeg steps, which run one after another. */
const MEDIA_STEPS = ['mix', 'video', 'audio-video'] as const;
const MICROPHONES_SHARE = 2;
const MANIFEST_SHARE = 0.2;

/**
 * Percent done and time left, from the bytes the joins have written and the
 * media time each ffmpeg step has made; told at most four times a second.
 */
export class Progress {
  private wavDone = 0;
  private mediaIndex = -1;
  private mediaWithin = 0;
  private current = 'mix';
  private finished = false;
  private readonly t0 = Date.now();
  private lastTold = 0;

  constructor(private readonly wavBytes: number, private readonly mediaMs: number, private readonly emit?: (p: FinalizeProgress) => void) {}

  /** The step now waited for: an ffmpeg step ('mix', 'video', 'audio-video'), then 'microphones', 'manifest', 'done'. */
  step(name: string): void {
    this.current = name;
    const i = MEDIA_STEPS.indexOf(name as (typeof MEDIA_STEPS)[number]);
    this.mediaIndex = i >= 0 ? i : MEDIA_STEPS.length;
    this.finished = name === 'done';
    this.mediaWithin = 0;
    this.tell(true);
  }

  /** Bytes written by the microphone joins. */
  add(bytes: number): void {
    this.wavDone += bytes;
    this.tell(false);
  }

  /** Media time made by the running ffmpeg step. */
  media(ms: number): void {
    this.mediaWithin = Math.min(1, ms / Math.max(1, this.mediaMs));
    this.tell(false);
  }

  private tell(force: boolean): void {
    const now = Date.now();
    if (!this.emit || (!force && now - this.lastTold < 250)) return;
    this.lastTold = now;
    const wav = Math.min(1, this.wavDone / Math.max(1, this.wavBytes));
    const media = Math.max(0, this.mediaIndex) + (this.mediaIndex < MEDIA_STEPS.length ? this.mediaWithin : 0);
    const done = wav * MICROPHONES_SHARE + Math.min(media, MEDIA_STEPS.length) + (this.finished ? MANIFEST_SHARE : 0);
    const percent = Math.min(100, Math.round((done / (MICROPHONES_SHARE + MEDIA_STEPS.length + MANIFEST_SHARE)) * 100));
    const elapsed = now - this.t0;
    this.emit({ step: this.current, percent, etaMs: percent > 0 && percent < 100 ? Math.round((elapsed * (100 - percent)) / percent) : undefined });
  }
}
