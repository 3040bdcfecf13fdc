import { join } from 'node:path';
import { AudioCapture } from '../../capture/audio/audio-capture.js';
import { ioError, logWriteFailed } from '../../shared/io-error.js';
import { liveMixNames } from '../../shared/naming.js';
import type { CaptureFault, CaptureStart, CaptureToEngine, DevicePlan, MixerRequest, SegmentRecord } from '../../capture/audio/protocol.js';
import type { DataChunk } from '../../capture/audio/data-chunks.js';
import { chainChunkBytes, segmentFrames, type AbkConfig } from '../../shared/config.js';
import type { AppError } from '../../shared/result.js';
import { audioNoData, audioStalled, captureCrashed, captureHung } from './messages.js';
import type { InterruptionCause } from '../../shared/sitting.js';
import type { Gap, ProblemSource, RecorderEvent, SittingSummary, TakeRecord } from './recorder-types.js';
import { isBreak, isLive, type Phase } from '../../shared/lifecycle.js';
import { engineClock } from './clock.js';
import { recoverTake } from './segment-recovery.js';
import type { FindingChange } from './health-log.js';

/** What the supervisor needs from the recorder that owns it. */
export interface SupervisorHost {
  /** The sitting's lifecycle phase. */
  readonly state: Phase;
  emitEvent(e: RecorderEvent): void;
  problem(source: ProblemSource, subject: string, error: AppError): void;
  logSegment(seg: SegmentRecord, type: 'audio-segment' | 'audio-segment-recovered'): void;
  /** A chunk of a segment's audio data completed (told to the session, which chains it). */
  chunkDone(path: string, chunk: DataChunk): void;
  /** A timeline fact for the events log, from which a crashed sitting is rebuilt. */
  note(fact: Record<string, unknown>): void;
  /** A guard's condition began or ended; `what` names it for the secretary (a track's name, a sound card). */
  finding(f: Omit<FindingChange, 'atMs'>, what: string): void;
}

const START_TIMEOUT_MS = 10_000;
/** The capture process reports levels ten times a second; this long without a word, it is hung. */
const HUNG_WARN_MS = 3000;
const HUNG_KILL_MS = 6000;

/**
 * Keeps the audio capture process running for a sitting: starts it, follows
 * its takes on the timeline (zero = the first sample of the first device),
 * and when it dies repairs what it left, restarts it at once (backing off if
 * it keeps dying) and puts the gap on the timeline.
 */
export class AudioSupervisor {
  private capture: AudioCapture | undefined;
  private take = 0;
  private restartDelayMs = 0;
  zeroWallMs = 0;
  readonly takes: TakeRecord[] = [];
  readonly segments: SegmentRecord[] = [];
  readonly gaps: Gap[] = [];
  readonly xruns = { overflows: 0, underflows: 0 };
  private readonly recoveries: Promise<unknown>[] = [];
  private lastWordMs = 0;
  private hungWarned = false;
  private watchdog: NodeJS.Timeout | undefined;
  /** Devices whose next gap is the interruption a continued sitting follows (its cause goes with it). */
  private readonly interrupted = new Map<string, InterruptionCause>();
  /** The wall clock's drift from the engine's monotonic clock when each take began (see positionAt). */
  private readonly driftAtStart = new Map<number, number>();

  constructor(
    private readonly host: SupervisorHost,
    private readonly config: AbkConfig,
    private readonly plans: DevicePlan[],
    private readonly dir: string,
    private readonly project: string,
    private readonly env: Record<string, string>,
    /** ffmpeg for the live mix; without it the mix is made at finalize. */
    private readonly ffmpeg?: string,
    /** Stems of seats unused in this sitting: their microphones are recorded but not watched. */
    private readonly unwatched: string[] = [],
  ) {}

  /** The capture process's own CPU use (% of one core), as it last said. */
  cpuPercent: number | undefined;

  private get rate(): number {
    return this.config.audio.sampleRate;
  }

  private get segmentFrames(): number {
    return segmentFrames(this.config.audio);
  }

  get pid(): number | undefined {
    return this.capture?.pid;
  }

  /** The current position on the timeline (samples), from the master device's count. */
  positionSamples(): number {
    const master = this.masterTake();
    return master ? master.startSample + master.frames : 0;
  }

  /** The latest take of the first device, whose sample count is the master clock. */
  private masterTake(): TakeRecord | undefined {
    return [...this.takes].reverse().find((t) => t.device === this.plans[0]!.key);
  }

  /**
   * Where a wall-clock instant falls on the timeline, from the master device's
   * current take: how a mark made by a key press is stamped with the audio
   * position of the press rather than of the moment it is stored. The
   * instant is on the engine's monotonic clock, so a step of the wall clock
   * during the sitting does not move it.
   */
  positionAt(monoMs: number): number {
    const master = this.masterTake();
    if (!master) return 0;
    // the take's start on the engine's monotonic clock: its wall time less the wall clock's drift when it began
    const startMono = master.firstSampleWallMs - (this.driftAtStart.get(master.take) ?? 0);
    return Math.max(0, master.startSample + Math.round(((monoMs - startMono) * this.rate) / 1000));
  }

  private toSample(wallMs: number): number {
    return Math.round(((wallMs - this.zeroWallMs) * this.rate) / 1000);
  }

  /**
   * Continue a sitting recorded before (by an engine that stopped): its takes,
   * segments and gaps stay on the timeline, the next take is numbered after
   * them, and the silence until it starts is a gap with the interruption's cause.
   */
  seed(prev: SittingSummary, cause: InterruptionCause): void {
    this.zeroWallMs = prev.zeroWallMs;
    this.take = Math.max(0, ...prev.takes.map((t) => t.take));
    this.takes.push(...prev.takes);
    this.segments.push(...prev.audioSegments.map((a) => ({ ...a, path: join(this.dir, a.file) })));
    this.gaps.push(...prev.gaps);
    for (const p of this.plans) this.interrupted.set(p.key, cause);
  }

  /** Start (or restart) the capture process; resolves with the devices that started. */
  async start(paused: boolean): Promise<string[]> {
    this.take += 1;
    const take = this.take;
    const pidFile = join(this.dir, `audio-capture.t${String(take).padStart(2, '0')}.pid`);
    const cap = await AudioCapture.spawn({
      cwd: this.dir, logFile: join(this.dir, 'audio-capture.log'), env: this.env, pidFile,
      onLogError: (e, path) => this.host.problem('audio', 'log', logWriteFailed(e, path)),
    });
    if (this.host.state !== 'starting' && !isLive(this.host.state)) {
      // Stop came while this restart was starting up: nothing may record after it.
      await cap.stop();
      return [];
    }
    this.capture = cap;
    const req: Omit<CaptureStart, 'type'> = {
      outDir: this.dir, project: this.project, take, sampleRate: this.rate, bitDepth: this.config.audio.bitDepth,
      segmentFrames: this.segmentFrames, chainChunkBytes: chainChunkBytes(this.config.audio), headerSyncMs: this.config.audio.headerSyncSeconds * 1000,
      startPaused: paused, devices: this.plans, guard: this.config.health, unwatched: this.unwatched,
    };
    if (this.ffmpeg) req.mixer = this.mixerRequest(take);
    const started = this.whenStarted(cap);
    this.lastWordMs = Date.now();
    cap.on('message', (m) => { this.lastWordMs = Date.now(); this.onMessage(take, m); });
    cap.on('xrun', (kind) => { this.xruns[kind === 'overflow' ? 'overflows' : 'underflows'] += 1; });
    cap.on('exit', (code, signal) => this.onExit(cap, code, signal));
    cap.start(req);
    this.watch(cap);
    return started;
  }

  private mixerRequest(take: number): MixerRequest {
    const names = liveMixNames(take);
    const padFromSample: Record<string, number> = {};
    for (const p of this.plans) {
      const prev = [...this.takes].reverse().find((x) => x.device === p.key);
      if (prev) padFromSample[p.key] = prev.startSample + prev.frames;
    }
    return {
      ffmpeg: this.ffmpeg!, m4a: join(this.dir, names.m4a), mp3: join(this.dir, names.mp3),
      logFile: join(this.dir, 'mix.log'), zeroWallMs: this.zeroWallMs, padFromSample,
    };
  }

  /**
   * A process that hangs (a native deadlock in the audio driver, a stopped
   * process) records nothing but does not die: say so, then kill it, which
   * hands over to the recovery and restart that follow any crash.
   */
  private watch(cap: AudioCapture): void {
    clearInterval(this.watchdog);
    this.hungWarned = false;
    this.watchdog = setInterval(() => {
      const { state } = this.host;
      if (cap !== this.capture || cap.exited || !isLive(state)) return;
      const silent = Date.now() - this.lastWordMs;
      if (silent > HUNG_WARN_MS && !this.hungWarned) {
        this.hungWarned = true;
        this.host.problem('audio', 'capture', captureHung(silent));
      }
      if (silent > HUNG_KILL_MS) cap.kill('SIGKILL');
    }, 500);
  }

  /** Resolves when every device has started or failed (or the start timed out). */
  private whenStarted(cap: AudioCapture): Promise<string[]> {
    const pending = new Set(this.plans.map((p) => p.key));
    const started: string[] = [];
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const key of pending) this.host.problem('audio', key, audioNoData(key));
        resolve(started);
      }, START_TIMEOUT_MS);
      const done = (key: string): void => {
        pending.delete(key);
        if (pending.size === 0) { clearTimeout(timer); resolve(started); }
      };
      cap.on('message', (m) => {
        if (m.type === 'started') { started.push(m.device); done(m.device); }
        if (m.type === 'error' && m.fatal && m.device && pending.has(m.device)) done(m.device);
      });
      cap.once('exit', () => { for (const k of [...pending]) done(k); });
    });
  }

  private onMessage(take: number, m: CaptureToEngine): void {
    switch (m.type) {
      case 'started': {
        if (this.zeroWallMs === 0) this.zeroWallMs = m.firstSampleWallMs;
        if (m.device === this.plans[0]!.key) this.driftAtStart.set(take, engineClock.drift());
        const startSample = this.toSample(m.firstSampleWallMs);
        const prev = [...this.takes].reverse().find((t) => t.device === m.device);
        this.takes.push({ device: m.device, take, firstSampleWallMs: m.firstSampleWallMs, startSample, frames: 0 });
        this.host.note({ type: 'take', device: m.device, take, firstSampleWallMs: m.firstSampleWallMs, startSample });
        if (prev) {
          const cause = this.interrupted.get(m.device);
          this.interrupted.delete(m.device);
          const gap: Gap = { device: m.device, fromSample: prev.startSample + prev.frames, toSample: startSample, ...(cause ? { cause } : {}) };
          this.gaps.push(gap);
          this.host.emitEvent({ type: 'gap', ...gap });
          this.host.emitEvent({ type: 'recovered', source: 'audio', subject: m.device });
        }
        this.restartDelayMs = 0;
        break;
      }
      case 'levels': {
        const t = this.takeOf(m.device, take);
        if (t) t.frames = m.frames;
        const plan = this.plans.find((p) => p.key === m.device)!;
        this.host.emitEvent({ type: 'levels', device: m.device, positionMs: t ? ((t.startSample + m.frames) * 1000) / this.rate : 0,
          tracks: m.tracks.map((l, i) => ({ stem: plan.tracks[i]!.stem, ...l })) });
        break;
      }
      case 'segment':
        this.addSegment(m.segment, 'audio-segment');
        break;
      case 'chunk':
        this.host.chunkDone(m.path, m.chunk);
        break;
      case 'stopped': {
        const t = this.takeOf(m.device, take);
        if (t) t.frames = m.frames;
        if (t && m.clockPpm !== undefined) t.clockPpm = m.clockPpm;
        break;
      }
      case 'stalled':
        // A sound card that stops sending (unplugged, driver reset) is reopened by a
        // new capture process, retried until it is back; the silence becomes a gap.
        this.host.problem('audio', m.device, audioStalled(m.device, m.silentMs));
        void this.reopen();
        break;
      case 'error':
        this.host.problem('audio', m.device ?? 'audio', m.error);
        break;
      case 'finding': {
        const plan = this.plans.find((p) => p.key === m.device);
        const track = plan?.tracks.find((t) => t.stem === m.stem);
        const source = m.code === 'capture-lag' ? 'system' : 'audio';
        this.host.finding({ source, subject: m.stem ?? m.device, code: m.code, on: m.on, wallMs: m.wallMs, ...(m.value !== undefined ? { value: m.value } : {}) },
          track ? track.trackName : plan?.name ?? m.device);
        break;
      }
      case 'load':
        this.cpuPercent = m.cpuPercent;
        break;
      default:
        break;
    }
  }

  private takeOf(device: string, take: number): TakeRecord | undefined {
    return this.takes.find((t) => t.device === device && t.take === take);
  }

  private addSegment(seg: SegmentRecord, type: 'audio-segment' | 'audio-segment-recovered'): void {
    if (this.segments.some((s) => s.path === seg.path)) return;
    this.segments.push(seg);
    this.host.logSegment(seg, type);
  }

  private onExit(cap: AudioCapture, code: number | null, signal: NodeJS.Signals | null): void {
    if (cap !== this.capture || !isLive(this.host.state)) return;
    this.host.problem('audio', 'capture', captureCrashed(signal ?? `code ${code}`));
    this.recoverTake(this.take);
    this.scheduleRestart();
  }

  /** Close the current process cleanly (its segments are reported) and start another. */
  private async reopen(): Promise<void> {
    const cap = this.capture;
    if (!cap || !isLive(this.host.state)) return;
    this.capture = undefined; // its exit is expected now, not a crash
    await cap.stop(5000);
    this.recoverTake(this.take);
    this.scheduleRestart();
  }

  /** At once the first time; if it keeps failing, less and less often, never giving up while recording. */
  private scheduleRestart(): void {
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(Math.max(500, this.restartDelayMs * 2), 10_000);
    setTimeout(() => {
      const now = this.host.state;
      if (!isLive(now)) return;
      this.start(isBreak(now)).then(async (started) => {
        if (started.length > 0) return;
        // nothing could be opened (the device is still away): close this attempt and try again later
        const idle = this.capture;
        this.capture = undefined;
        await idle?.stop(5000);
        if (isLive(this.host.state)) this.scheduleRestart();
      }, (e: Error) => {
        this.host.problem('audio', 'capture', captureCrashed(e.message));
        this.scheduleRestart();
      });
    }, delay);
  }

  /** Repair the files a dead process left and learn how far it got (its last report may be stale). */
  private recoverTake(take: number): void {
    try {
      const firsts = new Map(this.takes.filter((t) => t.take === take).map((t) => [t.device, t.firstSampleWallMs] as const));
      const audio = { bitDepth: this.config.audio.bitDepth, sampleRate: this.rate, segmentFrames: this.segmentFrames, chunkBytes: chainChunkBytes(this.config.audio) };
      const { framesByDevice, records } = recoverTake(this.dir, take, this.plans, this.segments, audio, firsts);
      for (const [device, frames] of framesByDevice) {
        const t = this.takeOf(device, take);
        if (t) t.frames = frames;
      }
      this.recoveries.push(records.then((found) => found.forEach((seg) => this.addSegment(seg, 'audio-segment-recovered'))));
    } catch (e) {
      this.host.problem('audio', 'recovery', ioError(e as NodeJS.ErrnoException, this.dir));
    }
  }

  /** A start that failed: no capture process, watchdog or restart is left behind. */
  async abort(): Promise<void> {
    clearInterval(this.watchdog);
    const cap = this.capture;
    this.capture = undefined;
    await cap?.stop(5000);
  }

  send(msg: { type: 'pause' } | { type: 'resume' } | CaptureFault): void {
    this.capture?.send(msg);
  }

  /** End every track at the sample of `atWallMs`, close the files, and account for all of them. */
  async stop(atWallMs: number): Promise<void> {
    clearInterval(this.watchdog);
    await this.capture?.stop(15_000, atWallMs);
    // A process that died instead of closing its files (even during the stop) left segments unreported.
    if (this.take > 0) this.recoverTake(this.take);
    await Promise.all(this.recoveries);
  }
}
