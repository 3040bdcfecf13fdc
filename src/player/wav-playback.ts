import type { PlayerAudio } from './player-audio.js';
import { MARGIN, Stretcher } from './stretch.js';
import { readFrames, type WavInfo } from './wav-file.js';

export interface WavTrack { file: Blob; info: WavInfo }

const CHUNK_S = 1;
const AHEAD_S = 2;

/**
 * Every microphone's WAV played from the picked files: a second at a time
 * of each is read, made an AudioBuffer and started at one and the same
 * AudioContext time, so the microphones stay sample-locked whatever the
 * solo, mute and volume. Only the next two seconds are ever in memory.
 * Other speeds keep the pitch (stretch.ts), the same for every microphone.
 */
export class WavAudio implements PlayerAudio {
  readonly perMicrophone = true;
  private readonly ctx: AudioContext;
  private readonly master: GainNode;
  private readonly gains: GainNode[];
  private readonly rate: number;
  private readonly frames: number;
  private speed = 1;
  private anchor = { ctxTime: 0, frame: 0 };
  private nextFrame = 0;
  private nextTime = 0;
  private sources: AudioBufferSourceNode[] = [];
  private timer: number | undefined;
  private generation = 0;
  private stretcher: Stretcher | undefined;
  private isPlaying = false;
  private readonly listeners: ((p: boolean) => void)[] = [];

  constructor(private readonly tracks: WavTrack[], private readonly onError: (e: Error) => void) {
    this.rate = tracks[0]!.info.sampleRate;
    this.frames = Math.max(...tracks.map((t) => t.info.frames));
    this.ctx = new AudioContext({ sampleRate: this.rate });
    this.master = this.ctx.createGain();
    this.master.connect(this.ctx.destination);
    this.gains = tracks.map(() => {
      const g = this.ctx.createGain();
      g.connect(this.master);
      return g;
    });
  }

  durationMs(): number {
    return (this.frames / this.rate) * 1000;
  }

  currentMs(): number {
    if (!this.isPlaying) return (this.anchor.frame / this.rate) * 1000;
    const frame = this.anchor.frame + Math.max(0, this.ctx.currentTime - this.anchor.ctxTime) * this.rate * this.speed;
    return (Math.min(frame, this.frames) / this.rate) * 1000;
  }

  playing(): boolean {
    return this.isPlaying;
  }

  async play(): Promise<void> {
    if (this.isPlaying) return;
    if (this.ctx.state !== 'running') await this.ctx.resume();
    this.startAt(this.anchor.frame);
  }

  pause(): void {
    if (!this.isPlaying) return;
    const at = Math.round((this.currentMs() / 1000) * this.rate);
    this.halt();
    this.anchor = { ctxTime: 0, frame: at };
    this.tell();
  }

  seek(ms: number): void {
    const frame = Math.max(0, Math.min(this.frames, Math.round((ms / 1000) * this.rate)));
    if (this.isPlaying) { this.halt(); this.startAt(frame); } else this.anchor = { ctxTime: 0, frame };
  }

  setSpeed(speed: number): void {
    if (speed === this.speed) return;
    const at = Math.round((this.currentMs() / 1000) * this.rate);
    const was = this.isPlaying;
    if (was) this.halt();
    this.speed = speed;
    if (was) this.startAt(at); else this.anchor = { ctxTime: 0, frame: at };
  }

  setGains(values: number[]): void {
    values.forEach((v, i) => this.gains[i]?.gain.setTargetAtTime(v, this.ctx.currentTime, 0.005));
  }

  onPlaying(listener: (playing: boolean) => void): void {
    this.listeners.push(listener);
  }

  dispose(): void {
    this.halt();
    void this.ctx.close();
  }

  private tell(): void {
    this.listeners.forEach((l) => l(this.isPlaying));
  }

  private startAt(frame: number): void {
    this.generation++;
    this.isPlaying = true;
    this.anchor = { ctxTime: this.ctx.currentTime + 0.05, frame };
    this.nextFrame = frame;
    this.nextTime = this.anchor.ctxTime;
    this.stretcher = this.speed === 1 ? undefined : new Stretcher(this.speed, this.tracks.length, frame);
    this.tell();
    void this.fill(this.generation);
    this.timer = window.setInterval(() => void this.fill(this.generation), 250);
  }

  private halt(): void {
    this.generation++;
    this.isPlaying = false;
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
    for (const s of this.sources) s.stop();
    this.sources = [];
  }

  private filling = false;

  /** Reads and schedules seconds until two are ahead of what is heard; the end stops it. */
  private async fill(gen: number): Promise<void> {
    if (this.filling) return;
    this.filling = true;
    try {
      while (gen === this.generation && this.nextTime < this.ctx.currentTime + AHEAD_S) {
        if (this.nextFrame >= this.frames) {
          if (this.ctx.currentTime >= this.nextTime) { this.halt(); this.anchor = { ctxTime: 0, frame: this.frames }; this.tell(); }
          return;
        }
        const count = Math.min(Math.round(CHUNK_S * this.rate), this.frames - this.nextFrame);
        const st = this.stretcher;
        const margin = st ? MARGIN : 0;
        const parts = await Promise.all(this.tracks.map((t) => readFrames(t.file, t.info, this.nextFrame - margin, count + 2 * margin)));
        if (gen !== this.generation) return;
        const samples = st ? st.run({ start: this.nextFrame - margin, tracks: parts }, this.nextFrame + count) : parts;
        const when = Math.max(this.nextTime, this.ctx.currentTime);
        const length = samples[0]!.length;
        samples.forEach((p, i) => {
          if (p.length === 0) return;
          const buf = this.ctx.createBuffer(1, p.length, this.rate);
          buf.copyToChannel(p as Float32Array<ArrayBuffer>, 0);
          const src = this.ctx.createBufferSource();
          src.buffer = buf;
          src.connect(this.gains[i]!);
          src.start(when);
          src.onended = () => { this.sources = this.sources.filter((x) => x !== src); };
          this.sources.push(src);
        });
        this.nextFrame += count;
        this.nextTime = when + length / this.rate;
      }
    } catch (e) {
      this.halt();
      this.tell();
      this.onError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      this.filling = false;
    }
  }
}
