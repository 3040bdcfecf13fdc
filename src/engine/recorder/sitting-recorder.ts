import { EventEmitter } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ioError } from '../../shared/io-error.js';
import type { DevicePlan, SegmentRecord } from '../../capture/audio/protocol.js';
import type { DataChunk } from '../../capture/audio/data-chunks.js';
import { CameraRecorder } from '../../capture/video/camera-recorder.js';
import { locateFfmpeg, type FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { chainChunkBytes, type CameraConfig } from '../../shared/config.js';
import { isLive, Lifecycle, type Phase } from '../../shared/lifecycle.js';
import { Owner } from '../../shared/owner.js';
import { sittingBase, uniqueName } from '../../shared/naming.js';
import { AbkError, toAppError, type AppError } from '../../shared/result.js';
import { AudioSupervisor } from './audio-supervisor.js';
import { CLOCK_STEP_MS, engineClock } from './clock.js';
import { planDevices } from './device-plan.js';
import { DiskMonitor, type DiskLevel } from './disk-monitor.js';
import { EventsLog } from './events-log.js';
import { diskFull, diskLow, noAudioInput } from './messages.js';
import type { ProblemSource, RecorderEvent, RecorderOptions, SittingSummary } from './recorder-types.js';
import { prepareFolder, writeJsonAtomic } from './sitting-folder.js';
import { HealthLog, type FindingChange } from './health-log.js';
import { findingError } from './health-messages.js';
import { INSTANT_CODES } from '../../shared/health.js';
import { SystemGuard } from './system-guard.js';

export type { RecorderEvent, RecorderOptions, SittingSummary } from './recorder-types.js';

const STOP_LEAD_MS = 300;
/** The same problem (source, subject, code) is shown again at most this often. */
const RETELL_MS = 30_000;

/**
 * Records one sitting: every microphone through the audio capture process and
 * every camera through ffmpeg, on one timeline whose zero is the first sample
 * of the first device. It keeps recording through what can go wrong: a crashed
 * capture process is restarted and the gap is put on the timeline; a lost
 * camera is retried; a filling disk is warned about and stops cleanly.
 *
 * Its state is the sitting's lifecycle phase (shared/lifecycle.ts), which the
 * cameras and the audio supervisor read too; every process, timer and stream
 * it starts is held by one owner and released on every path.
 */
export class SittingRecorder extends EventEmitter<{ event: [RecorderEvent] }> {
  readonly dir: string;
  readonly base: string;
  readonly life: Lifecycle;
  private readonly owner: Owner;
  private readonly plans: DevicePlan[];
  private readonly tools: FfmpegTools;
  private readonly log: EventsLog;
  private readonly disk: DiskMonitor;
  private readonly audio: AudioSupervisor;
  private readonly cameras: CameraRecorder[] = [];
  private readonly pauses: SittingSummary['pauses'] = [];
  private readonly problems: SittingSummary['problems'] = [];
  private stopping: Promise<SittingSummary> | undefined;
  private readonly lastTold = new Map<string, number>();
  private readonly health = new HealthLog();
  /** Seats not watched: as chosen for this sitting, or as they were when a continued sitting first started. */
  private readonly unwatched: string[];
  /** Video recorded before an interruption, when the sitting is continued. */
  private readonly earlierVideo: SittingSummary['videoSegments'] = [];

  constructor(private readonly opts: RecorderOptions) {
    super();
    this.life = opts.lifecycle ?? new Lifecycle('ready');
    if (this.life.phase !== 'starting') this.life.assert('starting');
    this.owner = new Owner((name, e) => this.problem('disk', name, ioError(e as NodeJS.ErrnoException, this.dir)));
    const { config } = opts;
    const work = join(config.recordingsRoot, '.work');
    const prev = opts.resume?.summary;
    this.base = prev?.base ?? opts.base ?? uniqueName(sittingBase(opts.caseNumber, Date.now()), (b) => existsSync(join(work, b)));
    this.dir = prev?.dir ?? join(config.recordingsRoot, '.work', this.base);
    prepareFolder(config.recordingsRoot, this.dir);
    this.unwatched = opts.unwatched ?? prev?.health?.unwatched ?? [];
    this.plans = planDevices(config.audio.devices);
    this.tools = opts.tools ?? locateFfmpeg(config);
    this.log = new EventsLog(join(this.dir, 'events.jsonl'));
    this.owner.own('events log', () => this.log.close());
    const mib = 1024 * 1024;
    this.disk = new DiskMonitor(this.dir, config.disk.warnFreeMiB * mib, config.disk.stopFreeMiB * mib, (level, free) => this.onDisk(level, free),
      (e) => this.problem('disk', this.dir, ioError(e, this.dir)));
    // What a finalize after a crash needs to rebuild the sitting from its files and events
    // (a continued sitting keeps the one written when it first started).
    const startFile = join(this.dir, 'sitting.start.json');
    if (!prev || !existsSync(startFile)) {
      writeJsonAtomic(startFile, {
        version: 1, caseNumber: opts.caseNumber, base: this.base, dir: this.dir, sampleRate: config.audio.sampleRate,
        bitDepth: config.audio.bitDepth, devices: this.plans, startedWallMs: Date.now(), unwatched: this.unwatched, chainChunkBytes: chainChunkBytes(config.audio),
      });
    }
    this.life.watch((to) => this.emitEvent({ type: 'state', state: to }));
    this.audio = new AudioSupervisor(this, config, this.plans, this.dir, this.base, opts.captureEnv ?? {}, opts.liveMix === false ? undefined : this.tools.ffmpeg, this.unwatched);
    this.owner.own('audio capture', () => this.audio.abort());
    if (prev) this.continueFrom(prev, opts.resume!.cause);
  }

  /**
   * A sitting continued after an interruption: what was recorded stays on its
   * timeline, and the summary written when that part stopped no longer
   * describes the sitting (a crash now is recovered from the events log).
   */
  private continueFrom(prev: SittingSummary, cause: NonNullable<RecorderOptions['resume']>['cause']): void {
    this.audio.seed(prev, cause);
    this.pauses.push(...prev.pauses);
    this.problems.push(...prev.problems);
    // a finding still open when that part stopped ended with it
    const endMs = Math.round((Math.max(0, ...prev.takes.map((t) => t.startSample + t.frames)) * 1000) / prev.sampleRate);
    for (const r of prev.health?.findings ?? []) this.health.restore({ ...r, toMs: r.toMs ?? endMs });
    this.earlierVideo.push(...prev.videoSegments);
    rmSync(join(this.dir, 'sitting.json'), { force: true });
    this.note({ type: 'continued', cause, afterTake: Math.max(0, ...prev.takes.map((t) => t.take)) });
  }

  /** A fault made on purpose in the capture process (tests of the guards; obeyed only with ABK_CAPTURE_FAULTS=1 in its environment). */
  injectCaptureFault(device: string, dropFrames: number): void {
    this.audio.send({ type: 'fault', device, dropFrames });
  }

  /** What the guards have found so far, and the capture process's CPU use (the console's health line). */
  healthNow(): { findings: ReturnType<HealthLog['open']>; captureCpuPercent: number | undefined } {
    return { findings: this.health.open(), captureCpuPercent: this.audio.cpuPercent };
  }

  /** The camera's latest preview frame (a JPEG rewritten each second), for the UI. */
  previewPath(camId: string): string | undefined {
    return this.cameras.find((c) => c.id === camId)?.previewPath;
  }

  cameraHealth(camId: string): { ok: boolean; detail?: string } {
    return this.cameras.find((c) => c.id === camId)?.health ?? { ok: false, detail: 'not configured' };
  }

  emitEvent(e: RecorderEvent): void {
    if (e.type !== 'levels') this.log.append(e as unknown as Record<string, unknown>);
    this.emit('event', e);
  }

  problem(source: ProblemSource, subject: string, error: AppError): void {
    const now = Date.now();
    const key = `${source}/${subject}/${error.code}`;
    const last = this.lastTold.get(key);
    if (last !== undefined && now - last < RETELL_MS) {
      // Retries of the same trouble: logged, but the secretary is not told again and again.
      this.log.append({ type: 'problem-repeated', source, subject, code: error.code });
    } else {
      this.lastTold.set(key, now);
      this.problems.push({ wallMs: now, source, subject, code: error.code });
      this.emitEvent({ type: 'problem', source, subject, error });
    }
    if (error.code === 'disk-full' && isLive(this.state)) void this.stop();
  }

  /**
   * A guard's condition began or ended: kept for the protocol, written into
   * the events log, and told to the secretary as an alarm that stays until it
   * ends or is acknowledged. An instant (samples lost, a clock step) is begun
   * and ended at once, and its alarm stays until acknowledged.
   */
  finding(change: Omit<FindingChange, 'atMs'>, what: string): void {
    // where it happened on the timeline: its age by the wall clock, taken back from the monotonic now
    const atSample = this.positionAt(engineClock.now() - Math.max(0, Date.now() - change.wallMs));
    const f: FindingChange = { ...change, atMs: Math.round((atSample * 1000) / this.opts.config.audio.sampleRate) };
    const instant = INSTANT_CODES.includes(f.code);
    if (instant) this.health.instant(f);
    else if (!this.health.apply(f)) return;
    this.note({ type: 'finding', ...f, ...(instant ? { instant: true } : {}) });
    const key = `${f.source}/${f.subject}/${f.code}`;
    if (f.on) this.problem(f.source, f.subject, findingError(f.code, what, f.value, f.source === 'audio' ? f.subject : undefined));
    else {
      this.lastTold.delete(key); // the next time it happens is news again
      this.emitEvent({ type: 'recovered', source: f.source, subject: f.subject, code: f.code });
    }
  }

  /** A segment closed (or found after its capture process died): logged, and told to the session, which chains it. */
  logSegment(seg: SegmentRecord, type: string): void {
    const file = relative(this.dir, seg.path);
    this.log.append({ type, file, frames: seg.frames, startFrame: seg.startFrame, md5: seg.md5, dataSha256: seg.dataSha256 });
    this.emit('event', { type: 'segment', file, frames: seg.frames, bytes: seg.bytes, dataSha256: seg.dataSha256, chunkBytes: seg.chunkBytes, recovered: type !== 'audio-segment' });
  }

  chunkDone(path: string, chunk: DataChunk): void {
    this.emit('event', { type: 'chunk', file: relative(this.dir, path), ...chunk });
  }

  note(fact: Record<string, unknown>): void {
    this.log.append(fact);
  }

  /** The sitting's phase: what the recorder, its cameras and its audio supervisor all go by. */
  get state(): Phase {
    return this.life.phase;
  }

  /** The audio capture process (health display; crash tests). */
  get audioCapturePid(): number | undefined {
    return this.audio.pid;
  }

  positionSamples(): number {
    return this.audio.positionSamples();
  }

  /** The timeline position (samples) of the instant `monoMs` (engineClock): a key press's time gives its mark's place. */
  positionAt(monoMs: number): number {
    return this.audio.positionAt(monoMs);
  }

  /** A step of the system clock while recording is logged with its size; placement does not follow it (clock.ts). */
  private watchClock(): void {
    let last = engineClock.drift();
    this.owner.timer('clock watch', setInterval(() => {
      const d = engineClock.drift();
      if (Math.abs(d - last) > CLOCK_STEP_MS) {
        const e: RecorderEvent = { type: 'clock-step', stepMs: Math.round(d - last), monoMs: Math.round(engineClock.now()) };
        this.emitEvent(e);
        this.finding({ source: 'clock', subject: 'system', code: 'clock-step', on: true, value: e.stepMs, wallMs: Date.now() }, 'system');
      }
      last = d;
    }, 1000));
  }

  /**
   * Open every device and start writing. The move to `starting` is checked
   * first (a session has made it already); a start that fails goes back to
   * the phase it came from, with nothing it started left running.
   */
  async start(): Promise<void> {
    if (this.state !== 'starting') this.life.move('starting');
    const paused = this.opts.startPaused === true;
    try {
      if ((await this.disk.check()) === 'stop') throw new AbkError(diskFull(this.dir, this.disk.freeBytes));
      // in a break the cameras wait for resume, as they do after a pause; after a dead
      // engine they wait until its cameras are stopped, and the microphones do not wait for them
      const later = this.opts.camerasAfter;
      const camerasUp = paused || later ? [] : this.opts.config.video.cameras.map((cam) => this.startCamera(cam));
      // Cameras take a moment to open; let them, but never hold the microphones back for long.
      await Promise.race([Promise.all(camerasUp), new Promise((r) => setTimeout(r, 5000))]);
      const started = await this.audio.start(paused);
      if (started.length === 0) throw new AbkError(noAudioInput(this.problems.filter((p) => p.source === 'audio').map((p) => p.code)));
    } catch (e) {
      // nothing that was started may outlive a start that failed: capture process, watchdog, cameras, the log
      this.life.back();
      await this.owner.release();
      throw e;
    }
    this.disk.start();
    this.owner.own('disk monitor', () => this.disk.stop());
    this.watchClock();
    const system = new SystemGuard(this.opts.config.health, (f, what) => this.finding(f, what));
    system.start();
    this.owner.own('system guard', () => system.stop());
    this.life.move(paused ? 'paused' : 'recording');
    this.opts.camerasAfter?.then(() => {
      // still recording, and not resumed from a break meanwhile (resume starts them itself)
      if (this.state === 'recording' && this.cameras.length === 0) this.opts.config.video.cameras.forEach((cam) => void this.startCamera(cam));
    }, (e: unknown) => this.problem('camera', 'leftover', toAppError(e, 'camera-leftover')));
  }

  private startCamera(cam: CameraConfig): Promise<void> {
    const before = this.earlierVideo.filter((v) => v.camera === cam.id).map((v) => v.index);
    const rec = new CameraRecorder(cam, this.dir, this.tools, () => this.life.phase, Math.max(0, ...before), this.opts.config.health);
    this.cameras.push(rec);
    this.owner.own(`camera ${cam.id}`, () => rec.stop());
    rec.on('problem', ({ camera, error }) => this.problem('camera', camera, error));
    rec.on('recovered', ({ camera }) => this.emitEvent({ type: 'recovered', source: 'camera', subject: camera }));
    rec.on('started', (v) => this.note({ type: 'video-segment', ...v }));
    rec.on('finding', ({ camera, code, on, atMs, value }) =>
      this.finding({ source: 'camera', subject: camera, code, on, wallMs: Math.round(atMs), ...(value !== undefined ? { value } : {}) }, cam.label ?? cam.id));
    const up = new Promise<void>((resolve) => {
      rec.once('started', () => resolve());
      rec.once('problem', () => resolve());
    });
    rec.start();
    return up;
  }

  private onDisk(level: DiskLevel, free: number): void {
    if (level === 'ok') this.emitEvent({ type: 'recovered', source: 'disk', subject: this.dir });
    else this.problem('disk', this.dir, level === 'warn' ? diskLow(free) : diskFull(this.dir, free));
  }

  async pause(): Promise<void> {
    if (this.state === 'paused' || this.state === 'pausing') return;
    this.life.move('pausing');
    this.pauses.push({ fromSample: this.positionSamples() });
    this.note({ type: 'pause', fromSample: this.positionSamples() });
    this.audio.send({ type: 'pause' });
    await Promise.all(this.cameras.map((c) => c.pause()));
    if ((this.state as Phase) === 'pausing') this.life.move('paused'); // a Stop may have come meanwhile
  }

  async resume(): Promise<void> {
    if (this.state === 'recording' || this.state === 'resuming') return;
    this.life.move('resuming');
    this.audio.send({ type: 'resume' });
    this.closeOpenPause();
    if (this.cameras.length === 0) this.opts.config.video.cameras.forEach((cam) => void this.startCamera(cam)); // started in a break
    else this.cameras.forEach((c) => c.start());
    this.life.move('recording');
  }

  private closeOpenPause(): void {
    const open = this.pauses[this.pauses.length - 1];
    if (open && open.toSample === undefined) {
      open.toSample = this.positionSamples();
      this.note({ type: 'resume', toSample: open.toSample });
    }
  }

  /** Close every file cleanly and write the sitting summary. Safe to call more than once. */
  stop(): Promise<SittingSummary> {
    if (!this.stopping) {
      const wasBreak = this.state === 'paused' || this.state === 'pausing';
      try {
        this.life.move('stopping'); // refused (and nothing stopped) unless the devices are open
      } catch (e) {
        return Promise.reject(e as Error);
      }
      this.stopping = this.doStop(wasBreak);
    }
    return this.stopping;
  }

  private async doStop(wasBreak: boolean): Promise<SittingSummary> {
    if (wasBreak) this.closeOpenPause();
    this.disk.stop();
    // One instant, a moment ahead, at which the microphones and the cameras all end.
    const at = Date.now() + STOP_LEAD_MS;
    try {
      await Promise.all([this.audio.stop(at), ...this.cameras.map((c) => c.stop(at))]);
    } catch (e) {
      this.life.move('interrupted');
      await this.owner.release();
      throw e;
    }
    const summary = this.summary();
    try {
      writeJsonAtomic(join(this.dir, 'sitting.json'), summary);
    } catch (e) {
      // The recording itself is safe on disk; the summary can be rebuilt from the segments.
      this.problem('disk', this.dir, ioError(e as NodeJS.ErrnoException, join(this.dir, 'sitting.json')));
    }
    this.life.move('stopped');
    await this.owner.release();
    // what the guards still find belongs to this recording: its alarms go with it (the protocol keeps the findings)
    for (const f of this.health.open()) this.emit('event', { type: 'recovered', source: f.source, subject: f.subject, code: f.code });
    return summary;
  }

  private summary(): SittingSummary {
    const { audio } = this;
    const videoSegments = [...this.earlierVideo, ...this.cameras.flatMap((c) => c.segments).map(({ path, ...s }) => ({
      ...s, file: relative(this.dir, path), offsetMs: Math.round(s.firstFrameWallMs - audio.zeroWallMs),
    }))];
    return {
      version: 1, caseNumber: this.opts.caseNumber, base: this.base, dir: this.dir,
      sampleRate: this.opts.config.audio.sampleRate, bitDepth: this.opts.config.audio.bitDepth,
      zeroWallMs: audio.zeroWallMs, stoppedWallMs: Date.now(), devices: this.plans, takes: audio.takes,
      audioSegments: audio.segments.map(({ path, ...s }) => ({ ...s, file: relative(this.dir, path) }))
        .sort((a, b) => a.stem.localeCompare(b.stem) || a.take - b.take || a.index - b.index),
      videoSegments, pauses: this.pauses, gaps: audio.gaps, problems: this.problems, xruns: audio.xruns,
      health: { findings: this.health.all, unwatched: this.unwatched, selfTest: this.opts.selfTest ?? this.opts.resume?.summary.health?.selfTest ?? null },
    };
  }
}
