/**
 * The player's sound: the listening copy's one stream, every microphone on its
 * own channel, split and sent through a gain per microphone, then summed to
 * both speakers. Solo, mute and volume are those gains, so the microphones
 * can never drift apart and nothing is decoded ahead of what is heard.
 */
export class PlayerGraph {
  readonly ctx: AudioContext;
  private readonly gains: GainNode[];

  constructor(media: HTMLMediaElement, channels: number) {
    this.ctx = new AudioContext();
    const src = this.ctx.createMediaElementSource(media);
    const split = this.ctx.createChannelSplitter(channels);
    const merge = this.ctx.createChannelMerger(2);
    src.connect(split);
    this.gains = Array.from({ length: channels }, (_, i) => {
      const g = this.ctx.createGain();
      split.connect(g, i);
      g.connect(merge, 0, 0);
      g.connect(merge, 0, 1);
      return g;
    });
    merge.connect(this.ctx.destination);
  }

  /** One gain per microphone: 0 silences it. */
  set(values: number[]): void {
    values.forEach((v, i) => this.gains[i]?.gain.setTargetAtTime(v, this.ctx.currentTime, 0.01));
  }

  async resume(): Promise<void> {
    if (this.ctx.state !== 'running') await this.ctx.resume();
  }
}

/** What each microphone's gain is: with any solo, only the soloed ones; else all but the muted, each at its volume. */
export function gainsOf(tracks: { solo: boolean; mute: boolean; volume: number }[]): number[] {
  const anySolo = tracks.some((t) => t.solo);
  return tracks.map((t) => (anySolo ? (t.solo ? t.volume : 0) : t.mute ? 0 : t.volume));
}
