import { join } from 'node:path';
import { chmod } from 'node:fs/promises';
import { ioError } from '../../shared/io-error.js';
import type { AppError } from '../../shared/result.js';
import { almatyDate, almatyTime, samplesSinceAlmatyMidnight } from '../../shared/timeline.js';
import { ClockGuard } from './clock-guard.js';
import { Deinterleaver } from './deinterleave.js';
import type { BlockStats } from './block-stats.js';
import type { CaptureStart, CaptureToEngine, DevicePlan, SegmentRecord } from './protocol.js';
import type { LiveMixer } from './live-mixer.js';
import { WavSegmentWriter } from './wav-segment-writer.js';

type Send = (msg: CaptureToEngine) => void;

/**
 * Everything one input device produces: deinterleaves its chunks into one
 * segment writer per track, rolls segments at the planned length, and keeps
 * counting frames while paused so the timeline stays sample-accurate.
 */
export class DeviceRecorder {
  private readonly split: Deinterleaver;
  private writers: WavSegmentWriter[] = [];
  private segmentIndex = 0;
  private segmentStartFrame = 0;
  frames = 0;
  firstSampleWallMs = 0;
  lastDataWallMs = 0;
  readonly clock: ClockGuard;
  /** Frames still to throw away (a fault made on purpose, see CaptureFault). */
  private dropLeft = 0;
  paused = false;
  failed = false;
  private ended = false;
  private stopAtFrame = Number.POSITIVE_INFINITY;
  private reachedStop: (() => void) | undefined;
  private pendingCloses: Promise<void>[] = [];

  constructor(private readonly req: CaptureStart, readonly plan: DevicePlan, private readonly send: Send, private readonly mixer?: LiveMixer) {
    this.split = new Deinterleaver(plan.channelCount, req.bitDepth, plan.tracks.map((t) => t.deviceChannel));
    this.paused = req.startPaused;
    this.clock = new ClockGuard(req.guard, req.sampleRate, (code, on, value, atMono) =>
      send({ type: 'finding', device: plan.key, code, on, value, wallMs: Math.round(Date.now() - (performance.now() - atMono)) }));
  }

  /** Throw away the next `frames` frames unrecorded (tests of the clock guard). */
  drop(frames: number): void {
    this.dropLeft += frames;
  }

  onData(input: Buffer): void {
    if (this.failed || this.ended) return;
    const now = Date.now();
    const chunk = this.dropLeft > 0 ? this.dropped(input) : input;
    if (chunk.length === 0) return;
    const tracks = this.split.push(chunk);
    const frames = tracks[0]!.length / (this.req.bitDepth / 8);
    if (this.frames === 0 && this.firstSampleWallMs === 0) {
      // The chunk arrives after it was captured: its first sample is one chunk earlier.
      this.firstSampleWallMs = now - (frames * 1000) / this.req.sampleRate;
      this.clock.begin(performance.now() - (frames * 1000) / this.req.sampleRate);
      this.padMix();
    }
    this.lastDataWallMs = now;
    const keep = Math.max(0, Math.min(frames, this.stopAtFrame - this.frames));
    if (!this.paused && keep > 0) {
      const bps = this.req.bitDepth / 8;
      try {
        this.writeTracks(keep === frames ? tracks : tracks.map((t) => t.subarray(0, keep * bps)), keep);
        this.mixer?.write(this.plan.key, keep === frames ? chunk : chunk.subarray(0, keep * bps * this.plan.channelCount));
      } catch (e) {
        this.fail(e as NodeJS.ErrnoException);
      }
    }
    this.frames += keep;
    if (this.frames >= this.stopAtFrame) this.reachedStop?.();
  }

  private dropped(chunk: Buffer): Buffer {
    const frameBytes = this.plan.channelCount * (this.req.bitDepth / 8);
    const n = Math.min(this.dropLeft, Math.floor(chunk.length / frameBytes));
    this.dropLeft -= n;
    return chunk.subarray(n * frameBytes);
  }

  /** A take after a restart begins with the gap in silence, so the live mix stays on the timeline. */
  private padMix(): void {
    const m = this.req.mixer;
    const from = m?.padFromSample[this.plan.key];
    if (!this.mixer || !m || from === undefined || m.zeroWallMs === 0 || this.paused) return;
    const startSample = Math.round(((this.firstSampleWallMs - m.zeroWallMs) * this.req.sampleRate) / 1000);
    const frames = startSample - from;
    if (frames > 0) this.mixer.pad(this.plan.key, frames * this.plan.channelCount * (this.req.bitDepth / 8));
  }

  /**
   * Resolve once the track has reached the sample of `wallMs` (at most
   * `timeoutMs` later). Without a first sample there is nothing to align.
   */
  stopAt(wallMs: number, timeoutMs: number): Promise<void> {
    if (this.firstSampleWallMs === 0 || this.failed) return Promise.resolve();
    this.stopAtFrame = Math.max(this.frames, Math.round(((wallMs - this.firstSampleWallMs) * this.req.sampleRate) / 1000));
    if (this.frames >= this.stopAtFrame) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.reachedStop = () => { clearTimeout(t); resolve(); };
    });
  }

  private writeTracks(tracks: Buffer[], frames: number): void {
    const bps = this.req.bitDepth / 8;
    let done = 0;
    while (done < frames) {
      if (this.writers.length === 0) this.openSegment(this.frames + done);
      const n = Math.min(frames - done, this.writers[0]!.remainingFrames);
      this.writers.forEach((w, i) => w.write(tracks[i]!.subarray(done * bps, (done + n) * bps)));
      done += n;
      if (this.writers[0]!.remainingFrames === 0) this.closeSegment();
    }
  }

  private openSegment(startFrame: number): void {
    this.segmentIndex += 1;
    this.segmentStartFrame = startFrame;
    const startWall = this.firstSampleWallMs + (startFrame * 1000) / this.req.sampleRate;
    const seg = String(this.segmentIndex).padStart(3, '0');
    const take = String(this.req.take).padStart(2, '0');
    this.writers = this.plan.tracks.map((t) => {
      const path = join(this.req.outDir, `${t.stem}.t${take}.s${seg}.wav`);
      const meta = {
        sampleRate: this.req.sampleRate, bitDepth: this.req.bitDepth,
        description: `ABK ABT ${this.req.project} ${t.stem}`, trackName: t.trackName,
        project: this.req.project, take: `t${take}s${seg}`,
        originationDate: almatyDate(startWall), originationTime: almatyTime(startWall),
        timeReference: samplesSinceAlmatyMidnight(startWall, this.req.sampleRate),
      };
      return new WavSegmentWriter(path, meta, this.req.segmentFrames, this.req.chainChunkBytes,
        (chunk) => this.send({ type: 'chunk', device: this.plan.key, path, chunk }));
    });
  }

  /** Close the current segment; checksums finish in the background and are reported when ready. */
  private closeSegment(): void {
    const writers = this.writers;
    const meta = { device: this.plan.key, take: this.req.take, index: this.segmentIndex, startFrame: this.segmentStartFrame };
    this.writers = [];
    this.pendingCloses.push(...writers.map(async (w, i) => {
      try {
        const closed = await w.close();
        const segment: SegmentRecord = { ...closed, ...meta, stem: this.plan.tracks[i]!.stem };
        this.send({ type: 'segment', segment });
      } catch (e) {
        this.report(ioError(e as NodeJS.ErrnoException, w.path), false);
        return;
      }
      // a closed segment is never written again: read-only, so nothing on this PC changes it by mistake (the chain finds the rest)
      try {
        await chmod(w.path, 0o444);
      } catch (e) {
        this.report(ioError(e as NodeJS.ErrnoException, w.path), false);
      }
    }));
  }

  syncHeaders(): void {
    for (const w of this.writers) {
      try {
        w.syncHeader();
      } catch (e) {
        this.fail(e as NodeJS.ErrnoException);
      }
    }
  }

  /** Each track's figures since the last call (meters and signal guard), and the clock guard told how far the card has got. */
  takeStats(): BlockStats[] {
    if (!this.ended && this.stopAtFrame === Number.POSITIVE_INFINITY) this.clock.sample(performance.now(), this.frames);
    return this.split.takeStats();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (this.writers.length > 0) this.closeSegment();
    this.send({ type: 'paused', device: this.plan.key, frame: this.frames });
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.send({ type: 'resumed', device: this.plan.key, frame: this.frames });
  }

  /** Close everything; resolves when every segment's checksums are reported. */
  async finish(): Promise<void> {
    this.ended = true;
    this.mixer?.end(this.plan.key);
    if (this.writers.length > 0) this.closeSegment();
    await Promise.all(this.pendingCloses);
  }

  private fail(e: NodeJS.ErrnoException): void {
    if (this.failed) return;
    this.failed = true;
    // Keep what is on disk: close the segment so its header matches the bytes written.
    if (this.writers.length > 0) this.closeSegment();
    this.report(ioError(e, this.req.outDir), true);
  }

  private report(error: AppError, fatal: boolean): void {
    this.send({ type: 'error', device: this.plan.key, error, fatal });
  }
}
