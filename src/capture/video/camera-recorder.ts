import { EventEmitter } from 'node:events';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { CameraConfig } from '../../shared/config.js';
import { isBreak, isWriting, type Phase } from '../../shared/lifecycle.js';
import { ioError, logWriteFailed } from '../../shared/io-error.js';
import { appError, type AppError } from '../../shared/result.js';
import { cameraInputArgs, cameraOutputArgs, chooseVideoCodec, type VideoCodecChoice } from './camera-args.js';
import { ffmpegEncoders, type FfmpegTools } from './ffmpeg-locate.js';
import { FfmpegProcess, type FfmpegProgress } from './ffmpeg-process.js';
import { CameraGuard, type CameraGuardConfig } from './camera-guard.js';
import { HEALTH_DEFAULTS, type FindingCode } from '../../shared/health.js';

export interface CameraSegment {
  camera: string;
  index: number;
  path: string;
  codec: VideoCodecChoice;
  /** Wall-clock time of the first frame, estimated from progress reports (earliest of them). */
  firstFrameWallMs: number;
  frames: number;
  durationMs: number;
  /** How the segment ended. */
  end: 'stopped' | 'paused' | 'lost';
}

interface CameraEvents {
  segment: [CameraSegment];
  started: [{ camera: string; index: number; firstFrameWallMs: number }];
  problem: [{ camera: string; error: AppError }];
  recovered: [{ camera: string }];
  /** The camera guard found its picture frozen, black or too slow, or that this is over. */
  finding: [{ camera: string; code: FindingCode; on: boolean; atMs: number; value?: number }];
}

const STALL_MS = 3000;

/**
 * Records one camera as a series of fragmented-MP4 segments. If the camera is
 * absent or drops out, it says so once and keeps trying to reconnect, each
 * reconnection starting a new segment; the microphones are never affected.
 */
export class CameraRecorder extends EventEmitter<CameraEvents> {
  private proc: FfmpegProcess | undefined;
  private index = 0;
  /** A segment, or a retry of one, is under way (start until pause or stop); whether it should be is the sitting's phase. */
  private running = false;
  private retry: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private lastFrameChangeMs = 0;
  private inTrouble = false;
  private exactStart = false;
  private guard: CameraGuard | undefined;
  private readonly codec: VideoCodecChoice;
  readonly segments: CameraSegment[] = [];

  /**
   * `phase`: the sitting's lifecycle phase, the one state the camera follows.
   * `afterIndex`: segments numbered before (a sitting continued after an interruption) are not overwritten.
   */
  constructor(private readonly cam: CameraConfig, private readonly outDir: string, private readonly tools: FfmpegTools,
    private readonly phase: () => Phase, afterIndex = 0, private readonly guardConfig: CameraGuardConfig = HEALTH_DEFAULTS) {
    super();
    this.index = afterIndex;
    this.codec = chooseVideoCodec(cam.source, ffmpegEncoders(tools.ffmpeg), cam.codec);
  }

  get id(): string {
    return this.cam.id;
  }

  /** Whether the camera gives a picture now, for the pre-session check. */
  get health(): { ok: boolean; detail?: string } {
    if (this.inTrouble) return { ok: false, detail: 'no picture' };
    return this.recording ? { ok: true } : { ok: false, detail: this.running ? this.phase() : 'not started' };
  }

  get previewPath(): string {
    return join(this.outDir, `${this.cam.id}.preview.jpg`);
  }

  /** Should be writing now: started, and the sitting records (or is starting to). */
  private get recording(): boolean {
    return this.running && isWriting(this.phase());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startSegment();
  }

  private startSegment(): void {
    this.index += 1;
    const stem = join(this.outDir, `${this.cam.id}.s${String(this.index).padStart(3, '0')}`);
    const path = `${stem}.mp4`;
    const seg: CameraSegment = { camera: this.cam.id, index: this.index, path, codec: this.codec, firstFrameWallMs: 0, frames: 0, durationMs: 0, end: 'stopped' };
    this.exactStart = false;
    const args = [...cameraInputArgs(this.cam.source, this.cam), ...cameraOutputArgs(this.codec, this.cam.fps, path, this.previewPath, this.guardConfig.freezeSeconds)];
    const proc = new FfmpegProcess(this.tools.ffmpeg, args, join(this.outDir, `${this.cam.id}.ffmpeg.log`), `${stem}.pid`);
    this.proc = proc;
    this.lastFrameChangeMs = Date.now();
    const guard = new CameraGuard(this.guardConfig, this.cam.fps, (code, on, atMs, value) =>
      this.emit('finding', { camera: this.cam.id, code, on, atMs, ...(value !== undefined ? { value } : {}) }));
    this.guard = guard;
    proc.on('line', (line) => { if (this.recording) guard.line(line, Date.now()); });
    proc.on('progress', (p) => { this.onProgress(seg, p); guard.progress(p.frame, p.wallMs); });
    proc.on('inputStart', (ms) => { seg.firstFrameWallMs = ms; this.exactStart = true; });
    proc.on('exit', () => this.onExit(seg, proc));
    proc.on('logError', (e, logPath) => this.emit('problem', { camera: this.cam.id, error: logWriteFailed(e, logPath) }));
    this.watchdog = setInterval(() => {
      if (this.recording) guard.tick(Date.now());
      if (this.recording && seg.frames > 0 && Date.now() - this.lastFrameChangeMs > STALL_MS) {
        this.trouble(appError('camera-stalled',
          `Camera "${this.label}" sends no new frames (frozen). Check its cable and power.`,
          `Камера «${this.label}» не передаёт новые кадры (зависла). Проверьте кабель и питание.`,
          `«${this.label}» камерасы жаңа кадр жібермейді (қатып қалды). Кабелі мен қуатын тексеріңіз.`));
      }
    }, 1000);
  }

  private get label(): string {
    return this.cam.label ?? this.cam.id;
  }

  private onProgress(seg: CameraSegment, p: FfmpegProgress): void {
    if (p.frame > seg.frames) this.lastFrameChangeMs = p.wallMs;
    const firstSeen = seg.frames === 0 && p.frame > 0;
    seg.frames = Math.max(seg.frames, p.frame);
    seg.durationMs = Math.max(seg.durationMs, p.outTimeMs);
    if (p.frame > 0 && p.outTimeMs > 0 && !this.exactStart) {
      // Reports only ever arrive late, so the earliest estimate is the best one.
      const estimate = p.wallMs - p.outTimeMs;
      seg.firstFrameWallMs = seg.firstFrameWallMs === 0 ? estimate : Math.min(seg.firstFrameWallMs, estimate);
    }
    if (firstSeen) {
      this.emit('started', { camera: this.cam.id, index: seg.index, firstFrameWallMs: seg.firstFrameWallMs });
      if (this.inTrouble) { this.inTrouble = false; this.emit('recovered', { camera: this.cam.id }); }
    }
  }

  private onExit(seg: CameraSegment, proc: FfmpegProcess): void {
    clearInterval(this.watchdog);
    this.guard?.end();
    if (this.proc === proc) this.proc = undefined;
    const expected = !this.recording;
    seg.end = expected ? (isBreak(this.phase()) ? 'paused' : 'stopped') : 'lost';
    if (seg.frames > 0) {
      this.segments.push(seg);
      this.readOnly(seg.path);
      this.emit('segment', seg);
    }
    if (expected) return;
    const why = proc.lastLines(3);
    this.trouble(seg.frames > 0
      ? appError('camera-lost', `Camera "${this.label}" was lost; recording of the microphones continues. Reconnecting every ${this.cam.reconnectSeconds} s.`,
        `Связь с камерой «${this.label}» потеряна; запись микрофонов продолжается. Переподключение каждые ${this.cam.reconnectSeconds} с.`,
        `«${this.label}» камерасымен байланыс үзілді; микрофондар жазылып жатыр. Әр ${this.cam.reconnectSeconds} с сайын қайта қосылу.`, why)
      : appError('camera-unavailable', `Camera "${this.label}" cannot be opened; the microphones are recording. Check that it is connected and its address is right.`,
        `Камеру «${this.label}» не удаётся открыть; микрофоны записываются. Проверьте подключение и адрес камеры.`,
        `«${this.label}» камерасын ашу мүмкін емес; микрофондар жазылып жатыр. Қосылымын және мекенжайын тексеріңіз.`, why));
    this.retry = setTimeout(() => { if (this.recording) this.startSegment(); }, this.cam.reconnectSeconds * 1000);
  }

  /** A closed segment is never written again: read-only, as the microphones' are; a failure is told (the segment stays as it is). */
  private readOnly(path: string): void {
    try {
      chmodSync(path, 0o444);
    } catch (e) {
      this.emit('problem', { camera: this.cam.id, error: ioError(e as NodeJS.ErrnoException, path) });
    }
  }

  private trouble(error: AppError): void {
    if (this.inTrouble) return;
    this.inTrouble = true;
    this.emit('problem', { camera: this.cam.id, error });
  }

  async pause(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.halt();
  }

  /** Stop at `atWallMs` (now if omitted): ffmpeg is asked to finish at that instant. */
  async stop(atWallMs?: number): Promise<CameraSegment[]> {
    this.running = false;
    clearTimeout(this.retry);
    // ffmpeg overshoots a stop by up to one frame; asking half a frame early centres the end on `atWallMs`.
    const early = 500 / this.cam.fps;
    if (atWallMs !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, atWallMs - early - Date.now())));
    await this.halt();
    return this.segments;
  }

  private async halt(): Promise<void> {
    clearTimeout(this.retry);
    clearInterval(this.watchdog);
    await this.proc?.stop();
  }
}
