import { EventEmitter } from 'node:events';
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AudioCapture } from '../../capture/audio/audio-capture.js';
import type { CaptureStart, CaptureToEngine, DevicePlan, SegmentRecord } from '../../capture/audio/protocol.js';
import { ioError } from '../../capture/audio/device-recorder.js';
import { CameraRecorder, type CameraSegment } from '../../capture/video/camera-recorder.js';
import { locateFfmpeg, type FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import type { AbkConfig } from '../../shared/config.js';
import { sittingBase } from '../../shared/naming.js';
import { AbkError, appError, type AppError } from '../../shared/result.js';
import { DiskMonitor } from './disk-monitor.js';
import { EventsLog } from './events-log.js';
import { planDevices } from './device-plan.js';
import { recoverTake } from './segment-recovery.js';

export type RecorderState = 'ready' | 'recording' | 'paused' | 'stopping' | 'stopped';
export type ProblemSource = 'audio' | 'camera' | 'disk';

export type RecorderEvent =
  | { type: 'state'; state: RecorderState }
  | { type: 'levels'; device: string; positionMs: number; tracks: { stem: string; peakDb: number; rmsDb: number }[] }
  | { type: 'problem'; source: ProblemSource; subject: string; error: AppError }
  | { type: 'recovered'; source: ProblemSource; subject: string }
  | { type: 'gap'; device: string; fromSample: number; toSample: number };

export interface TakeRecord { device: string; take: number; firstSampleWallMs: number; startSample: number; frames: number }
export interface VideoSegmentRecord extends Omit<CameraSegment, 'path'> { file: string; offsetMs: number }

export interface SittingSummary {
  version: 1;
  caseNumber: string;
  base: string;
  dir: string;
  sampleRate: number;
  bitDepth: 16 | 24;
  zeroWallMs: number;
  stoppedWallMs: number;
  devices: DevicePlan[];
  takes: TakeRecord[];
  audioSegments: (Omit<SegmentRecord, 'path'> & { file: string })[];
  videoSegments: VideoSegmentRecord[];
  pauses: { fromSample: number; toSample?: number }[];
  gaps: { device: string; fromSample: number; toSample: number }[];
  problems: { wallMs: number; source: ProblemSource; subject: string; code: string }[];
  xruns: { overflows: number; underflows: number };
}

export interface RecorderOptions {
  config: AbkConfig;
  caseNumber: string;
  /** ffmpeg to use; found from the configuration, ffmpeg-static or PATH when omitted. */
  tools?: FfmpegTools;
  /** Environment of the audio capture process (the virtual courtroom sets HOME to its ALSA config). */
  captureEnv?: Record<string, string>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_LEAD_MS = 300;

/**
 * Records one sitting: every microphone through the audio capture process and
 * every camera through ffmpeg, on one timeline whose zero is the first sample
 * of the first device. It keeps recording through what can go wrong: a crashed
 * capture process is restarted and the gap is put on the timeline; a lost
 * camera is retried; a filling disk is warned about and stops cleanly.
 */
export class SittingRecorder extends EventEmitter<{ event: [RecorderEvent] }> {
  readonly dir: string;
  readonly base: string;
  state: RecorderState = 'ready';
  private readonly plans: DevicePlan[];
  private readonly tools: FfmpegTools;
  private readonly log: EventsLog;
  private readonly disk: DiskMonitor;
  private readonly cameras: CameraRecorder[] = [];
  private capture: AudioCapture | undefined;
  private take = 0;
  private zeroWallMs = 0;
  private restartDelayMs = 200;
  private readonly recoveries: Promise<unknown>[] = [];
  private readonly takes: TakeRecord[] = [];
  private readonly segments: SegmentRecord[] = [];
  private readonly pauses: { fromSample: number; toSample?: number }[] = [];
  private readonly gaps: SittingSummary['gaps'] = [];
  private readonly problems: SittingSummary['problems'] = [];
  private xruns = { overflows: 0, underflows: 0 };

  constructor(private readonly opts: RecorderOptions) {
    super();
    const { config } = opts;
    this.base = uniqueBase(join(config.recordingsRoot, '.work'), sittingBase(opts.caseNumber, Date.now()));
    this.dir = join(config.recordingsRoot, '.work', this.base);
    prepareFolder(config.recordingsRoot, this.dir);
    this.plans = planDevices(config.audio.devices);
    this.tools = opts.tools ?? locateFfmpeg(config);
    this.log = new EventsLog(join(this.dir, 'events.jsonl'));
    const mib = 1024 * 1024;
    this.disk = new DiskMonitor(this.dir, config.disk.warnFreeMiB * mib, config.disk.stopFreeMiB * mib, (level, free) => this.onDisk(level, free));
  }

  private get rate(): number {
    return this.opts.config.audio.sampleRate;
  }

  private emitEvent(e: RecorderEvent): void {
    if (e.type !== 'levels') this.log.append(e as unknown as Record<string, unknown>);
    this.emit('event', e);
  }

  private setState(state: RecorderState): void {
    this.state = state;
    this.emitEvent({ type: 'state', state });
  }

  private problem(source: ProblemSource, subject: string, error: AppError): void {
    this.problems.push({ wallMs: Date.now(), source, subject, code: error.code });
    this.emitEvent({ type: 'problem', source, subject, error });
  }

  /** The audio capture process (health display; crash tests). */
  get audioCapturePid(): number | undefined {
    return this.capture?.pid;
  }

  /** Timeline position of a wall-clock instant, in samples of the master clock. */
  private toSample(wallMs: number): number {
    return Math.round(((wallMs - this.zeroWallMs) * this.rate) / 1000);
  }

  /** The current position on the timeline (samples), from the master device's count. */
  positionSamples(): number {
    const master = [...this.takes].reverse().find((t) => t.device === this.plans[0]!.key);
    return master ? master.startSample + master.frames : 0;
  }

  async start(): Promise<void> {
    if (this.state !== 'ready') throw new Error(`cannot start a recorder that is ${this.state}`);
    if ((await this.disk.check()) === 'stop') {
      throw new AbkError(diskError(this.dir, this.disk.freeBytes));
    }
    const camerasUp = this.opts.config.video.cameras.map((cam) => this.startCamera(cam));
    // Cameras take a moment to open; let them, but never hold the microphones back for long.
    await Promise.race([Promise.all(camerasUp), new Promise((r) => setTimeout(r, 5000))]);
    const started = await this.startAudio(false);
    if (started.length === 0) {
      await Promise.all(this.cameras.map((c) => c.stop()));
      this.log.close();
      const errors = this.problems.filter((p) => p.source === 'audio');
      throw new AbkError(appError('no-audio-input',
        `No microphone input could be started (${errors.map((e) => e.code).join(', ')}); nothing is being recorded. See the messages above.`,
        'Не удалось запустить ни один микрофонный вход; запись не идёт. См. сообщения выше.',
        'Бірде-бір микрофон кірісі іске қосылмады; жазба жүріп жатқан жоқ. Жоғарыдағы хабарларды қараңыз.'));
    }
    this.disk.start();
    this.setState('recording');
  }

  private startCamera(cam: AbkConfig['video']['cameras'][number]): Promise<void> {
    const rec = new CameraRecorder(cam, this.dir, this.tools);
    this.cameras.push(rec);
    rec.on('problem', ({ camera, error }) => this.problem('camera', camera, error));
    rec.on('recovered', ({ camera }) => this.emitEvent({ type: 'recovered', source: 'camera', subject: camera }));
    const up = new Promise<void>((resolve) => {
      rec.once('started', () => resolve());
      rec.once('problem', () => resolve());
    });
    rec.start();
    return up;
  }

  /** Start (or restart) the capture process; resolves with the devices that started. */
  private async startAudio(paused: boolean): Promise<string[]> {
    this.take += 1;
    const take = this.take;
    const cap = await AudioCapture.spawn({ cwd: this.dir, logFile: join(this.dir, 'audio-capture.log'), env: this.opts.captureEnv ?? {} });
    if (this.state === 'stopping' || this.state === 'stopped') {
      // Stop came while this restart was starting up: nothing may record after it.
      await cap.stop();
      return [];
    }
    this.capture = cap;
    const req: Omit<CaptureStart, 'type'> = {
      outDir: this.dir, project: this.base, take, sampleRate: this.rate, bitDepth: this.opts.config.audio.bitDepth,
      segmentFrames: evenFrames(this.opts.config.audio.segmentSeconds * this.rate, this.opts.config.audio.bitDepth),
      headerSyncMs: this.opts.config.audio.headerSyncSeconds * 1000, startPaused: paused, devices: this.plans,
    };
    const pending = new Set(this.plans.map((p) => p.key));
    const started: string[] = [];
    const settled = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const key of pending) this.problem('audio', key, appError('audio-no-data',
          `Audio input of ${key} gives no sound data. Check the sound card connection.`,
          `Аудиовход ${key} не передаёт данные. Проверьте подключение звуковой карты.`,
          `${key} аудиокірісі дерек бермейді. Дыбыс картасының қосылымын тексеріңіз.`));
        resolve();
      }, START_TIMEOUT_MS);
      const done = (key: string): void => {
        pending.delete(key);
        if (pending.size === 0) { clearTimeout(timer); resolve(); }
      };
      cap.on('message', (m) => {
        if (m.type === 'started') { started.push(m.device); done(m.device); }
        if (m.type === 'error' && m.fatal && m.device && pending.has(m.device)) done(m.device);
      });
      cap.once('exit', () => { for (const k of [...pending]) done(k); });
    });
    cap.on('message', (m) => this.onCaptureMessage(take, m));
    cap.on('xrun', (kind) => { this.xruns[kind === 'overflow' ? 'overflows' : 'underflows'] += 1; });
    cap.on('exit', (code, signal) => this.onCaptureExit(cap, code, signal));
    cap.start(req);
    await settled;
    return started;
  }

  private onCaptureMessage(take: number, m: CaptureToEngine): void {
    switch (m.type) {
      case 'started': {
        if (this.zeroWallMs === 0) this.zeroWallMs = m.firstSampleWallMs;
        const startSample = this.toSample(m.firstSampleWallMs);
        const prev = [...this.takes].reverse().find((t) => t.device === m.device);
        this.takes.push({ device: m.device, take, firstSampleWallMs: m.firstSampleWallMs, startSample, frames: 0 });
        if (prev) {
          const gap = { device: m.device, fromSample: prev.startSample + prev.frames, toSample: startSample };
          this.gaps.push(gap);
          this.emitEvent({ type: 'gap', ...gap });
          this.emitEvent({ type: 'recovered', source: 'audio', subject: m.device });
        }
        this.restartDelayMs = 200;
        break;
      }
      case 'levels': {
        const t = this.currentTake(m.device, take);
        if (t) t.frames = m.frames;
        const plan = this.plans.find((p) => p.key === m.device)!;
        this.emitEvent({ type: 'levels', device: m.device, positionMs: t ? ((t.startSample + m.frames) * 1000) / this.rate : 0,
          tracks: m.tracks.map((l, i) => ({ stem: plan.tracks[i]!.stem, ...l })) });
        break;
      }
      case 'segment':
        this.addSegment(m.segment, 'audio-segment');
        break;
      case 'stopped': {
        const t = this.currentTake(m.device, take);
        if (t) t.frames = m.frames;
        break;
      }
      case 'stalled':
        this.problem('audio', m.device, appError('audio-stalled',
          `The sound card (${m.device}) has sent no sound for ${Math.round(m.silentMs / 1000)} s. Check that it is connected.`,
          `Звуковая карта (${m.device}) не передаёт звук ${Math.round(m.silentMs / 1000)} с. Проверьте подключение.`,
          `Дыбыс картасы (${m.device}) ${Math.round(m.silentMs / 1000)} с бойы дыбыс бермейді. Қосылымын тексеріңіз.`));
        break;
      case 'error':
        this.problem('audio', m.device ?? 'audio', m.error);
        if (m.error.code === 'disk-full' && this.state === 'recording') void this.stop();
        break;
      default:
        break;
    }
  }

  private currentTake(device: string, take: number): TakeRecord | undefined {
    return this.takes.find((t) => t.device === device && t.take === take);
  }

  /** A capture process that dies while recording is restarted at once; the gap goes on the timeline. */
  private onCaptureExit(cap: AudioCapture, code: number | null, signal: NodeJS.Signals | null): void {
    if (cap !== this.capture || (this.state !== 'recording' && this.state !== 'paused')) return;
    this.problem('audio', 'capture', appError('audio-capture-crashed',
      `The audio capture process stopped unexpectedly (${signal ?? `code ${code}`}); it is being restarted. The gap will be marked in the protocol.`,
      `Процесс записи звука неожиданно остановился (${signal ?? `код ${code}`}); он перезапускается. Разрыв будет отмечен в протоколе.`,
      `Дыбыс жазу процесі күтпеген жерден тоқтады (${signal ?? `код ${code}`}); ол қайта іске қосылуда. Үзіліс хаттамада белгіленеді.`));
    this.recoverDeadTake(this.take);
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, 10_000);
    setTimeout(() => {
      if (this.state === 'recording' || this.state === 'paused') void this.startAudio(this.state === 'paused');
    }, delay);
  }

  private addSegment(seg: SegmentRecord, type: string): void {
    if (this.segments.some((s) => s.path === seg.path)) return;
    this.segments.push(seg);
    this.log.append({ type, file: relative(this.dir, seg.path), frames: seg.frames, md5: seg.md5 });
  }

  /** Repair the files the dead process left and learn how far it got (its last report may be stale). */
  private recoverDeadTake(take: number): void {
    const { config } = this.opts;
    try {
      const { framesByDevice, records } = recoverTake(this.dir, take, this.plans, this.segments, config.audio.bitDepth,
        evenFrames(config.audio.segmentSeconds * this.rate, config.audio.bitDepth));
      for (const [device, frames] of framesByDevice) {
        const t = this.currentTake(device, take);
        if (t) t.frames = frames;
      }
      this.recoveries.push(records.then((found) => found.forEach((seg) => this.addSegment(seg, 'audio-segment-recovered'))));
    } catch (e) {
      this.problem('audio', 'recovery', ioError(e as NodeJS.ErrnoException, this.dir));
    }
  }

  private onDisk(level: 'ok' | 'warn' | 'stop', free: number): void {
    if (level === 'ok') { this.emitEvent({ type: 'recovered', source: 'disk', subject: this.dir }); return; }
    if (level === 'warn') {
      const mib = Math.round(free / 1048576);
      this.problem('disk', this.dir, appError('disk-low', `Only ${mib} MiB are free for recordings. Free space soon: the recording stops before the disk is full.`,
        `Для записей осталось ${mib} МиБ. Освободите место: запись остановится до заполнения диска.`,
        `Жазбалар үшін ${mib} МиБ қалды. Орын босатыңыз: жазба диск толғанға дейін тоқтайды.`));
      return;
    }
    this.problem('disk', this.dir, diskError(this.dir, free));
    if (this.state === 'recording' || this.state === 'paused') void this.stop();
  }

  async pause(): Promise<void> {
    if (this.state !== 'recording') return;
    this.pauses.push({ fromSample: this.positionSamples() });
    this.capture?.send({ type: 'pause' });
    await Promise.all(this.cameras.map((c) => c.pause()));
    this.setState('paused');
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') return;
    this.capture?.send({ type: 'resume' });
    const open = this.pauses[this.pauses.length - 1];
    if (open) open.toSample = this.positionSamples();
    this.cameras.forEach((c) => c.start());
    this.setState('recording');
  }

  private stopping: Promise<SittingSummary> | undefined;

  /** Close every file cleanly and write the sitting summary. Safe to call more than once. */
  stop(): Promise<SittingSummary> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<SittingSummary> {
    const wasPaused = this.state === 'paused';
    this.setState('stopping');
    this.disk.stop();
    if (wasPaused) {
      const open = this.pauses[this.pauses.length - 1];
      if (open && open.toSample === undefined) open.toSample = this.positionSamples();
    }
    // One instant, a moment ahead, at which the microphones and the cameras all end.
    const at = Date.now() + STOP_LEAD_MS;
    await Promise.all([this.capture?.stop(15_000, at), ...this.cameras.map((c) => c.stop(at))]);
    // A process that died instead of closing its files (even during the stop) left segments unreported.
    if (this.take > 0) this.recoverDeadTake(this.take);
    await Promise.all(this.recoveries);
    const summary = this.summary();
    try {
      writeJsonAtomic(join(this.dir, 'sitting.json'), summary);
    } catch (e) {
      // The recording itself is safe on disk; the summary can be rebuilt from the segments.
      this.problem('disk', this.dir, ioError(e as NodeJS.ErrnoException, join(this.dir, 'sitting.json')));
    }
    this.setState('stopped');
    this.log.close();
    return summary;
  }

  private summary(): SittingSummary {
    const videoSegments = this.cameras.flatMap((c) => c.segments).map(({ path, ...s }) => ({
      ...s, file: relative(this.dir, path), offsetMs: Math.round(s.firstFrameWallMs - this.zeroWallMs),
    }));
    return {
      version: 1, caseNumber: this.opts.caseNumber, base: this.base, dir: this.dir,
      sampleRate: this.rate, bitDepth: this.opts.config.audio.bitDepth,
      zeroWallMs: this.zeroWallMs, stoppedWallMs: Date.now(), devices: this.plans, takes: this.takes,
      audioSegments: this.segments.map(({ path, ...s }) => ({ ...s, file: relative(this.dir, path) }))
        .sort((a, b) => a.stem.localeCompare(b.stem) || a.take - b.take || a.index - b.index),
      videoSegments, pauses: this.pauses, gaps: this.gaps, problems: this.problems,
      xruns: this.xruns,
    };
  }
}

/** Two sittings of one case started in the same minute get `_2`, `_3`, … */
function uniqueBase(parent: string, base: string): string {
  let candidate = base;
  for (let n = 2; existsSync(join(parent, candidate)); n++) candidate = `${base}_${n}`;
  return candidate;
}

function evenFrames(frames: number, bitDepth: 16 | 24): number {
  return bitDepth === 24 && frames % 2 === 1 ? frames + 1 : frames;
}

function prepareFolder(root: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    // access() says yes to root on a read-only mount: prove it by writing.
    const probe = join(dir, '.write-test');
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // mkdir -p answers ENOENT when a part of the path cannot be created (a read-only or absent disk).
    throw new AbkError(ioError(err.code === 'ENOENT' ? Object.assign(err, { code: 'EROFS' }) : err, root));
  }
}

function diskError(dir: string, free: number): AppError {
  const mib = Math.round(free / 1048576);
  return appError('disk-full', `The disk for recordings is almost full (${mib} MiB free); recording was stopped cleanly and everything recorded is kept. Free space, then start again.`,
    `Диск для записей почти заполнен (свободно ${mib} МиБ); запись остановлена корректно, записанное сохранено. Освободите место и начните снова.`,
    `Жазбаларға арналған диск толуға жақын (${mib} МиБ бос); жазба дұрыс тоқтатылды, жазылғаны сақталды. Орын босатып, қайта бастаңыз.`, dir);
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
