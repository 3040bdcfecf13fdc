/**
 * What the player's controls drive, whatever plays the sound: the app's
 * listening copy streamed from the engine, a medium's mix played as it is,
 * or a medium's microphone WAVs scheduled sample-locked on one AudioContext.
 * Times are in this sound's milliseconds.
 */
export interface PlayerAudio {
  /** Whether each microphone can be heard alone (solo, mute, volume). */
  readonly perMicrophone: boolean;
  durationMs(): number;
  currentMs(): number;
  playing(): boolean;
  play(): Promise<void>;
  pause(): void;
  seek(ms: number): void;
  setSpeed(speed: number): void;
  /** One gain per microphone: 0 silences it. */
  setGains(gains: number[]): void;
  /** Told when it starts or stops playing (the end reached too). */
  onPlaying(listener: (playing: boolean) => void): void;
  dispose(): void;
}

/** What each microphone's gain is: with any solo, only the soloed ones; else all but the muted, each at its volume. */
export function gainsOf(tracks: { solo: boolean; mute: boolean; volume: number }[]): number[] {
  const anySolo = tracks.some((t) => t.solo);
  return tracks.map((t) => (anySolo ? (t.solo ? t.volume : 0) : t.mute ? 0 : t.volume));
}

/**
 * A media element as the player's sound. With `split`, its channels are the
 * microphones (the app's listening copy: one stream, one channel each), split
 * through a gain each on one AudioContext, so they can never drift apart.
 * Without, it plays as it is (a medium's mix from file://, where the browser
 * gives Web Audio no access to a file's samples).
 */
export class MediaElementAudio implements PlayerAudio {
  private ctx: AudioContext | undefined;
  private gains: GainNode[] = [];
  private pending: number[] | undefined;
  private readonly listeners: ((p: boolean) => void)[] = [];

  constructor(private readonly el: HTMLMediaElement, private readonly channels: number | undefined) {
    const tell = (): void => this.listeners.forEach((l) => l(!el.paused));
    el.addEventListener('play', tell);
    el.addEventListener('pause', tell);
    el.addEventListener('ended', tell);
  }

  get perMicrophone(): boolean {
    return this.channels !== undefined;
  }

  durationMs(): number {
    return Number.isFinite(this.el.duration) ? this.el.duration * 1000 : 0;
  }

  currentMs(): number {
    return this.el.currentTime * 1000;
  }

  playing(): boolean {
    return !this.el.paused;
  }

  async play(): Promise<void> {
    if (this.channels !== undefined && !this.ctx) this.split(this.channels);
    if (this.ctx && this.ctx.state !== 'running') await this.ctx.resume();
    await this.el.play();
  }

  pause(): void {
    this.el.pause();
  }

  seek(ms: number): void {
    this.el.currentTime = Math.max(0, ms / 1000);
  }

  setSpeed(speed: number): void {
    this.el.playbackRate = speed;
    this.el.preservesPitch = true;
  }

  setGains(values: number[]): void {
    if (!this.ctx) { this.pending = values; return; }
    values.forEach((v, i) => this.gains[i]?.gain.setTargetAtTime(v, this.ctx!.currentTime, 0.01));
  }

  onPlaying(listener: (playing: boolean) => void): void {
    this.listeners.push(listener);
  }

  dispose(): void {
    this.el.pause();
    void this.ctx?.close();
  }

  private split(channels: number): void {
    const ctx = new AudioContext();
    const src = ctx.createMediaElementSource(this.el);
    const split = ctx.createChannelSplitter(channels);
    const merge = ctx.createChannelMerger(2);
    src.connect(split);
    this.gains = Array.from({ length: channels }, (_, i) => {
      const g = ctx.createGain();
      split.connect(g, i);
      g.connect(merge, 0, 0);
      g.connect(merge, 0, 1);
      return g;
    });
    merge.connect(ctx.destination);
    this.ctx = ctx;
    if (this.pending) this.setGains(this.pending);
  }
}
