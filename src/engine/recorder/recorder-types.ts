import type { DevicePlan, SegmentRecord } from '../../capture/audio/protocol.js';
import type { CameraSegment } from '../../capture/video/camera-recorder.js';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import type { AbkConfig } from '../../shared/config.js';
import type { Lifecycle, Phase } from '../../shared/lifecycle.js';
import type { AppError } from '../../shared/result.js';
import type { SelfTest } from '../../shared/health.js';
import type { SummaryHealth } from './health-log.js';
import type { GapCause, InterruptionCause } from '../../shared/sitting.js';

export const PROBLEM_SOURCES = ['audio', 'camera', 'disk', 'clock', 'system'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];

export type RecorderEvent =
  /** The sitting's lifecycle phase changed (shared/lifecycle.ts). */
  | { type: 'state'; state: Phase }
  | { type: 'levels'; device: string; positionMs: number; tracks: { stem: string; peakDb: number; rmsDb: number }[] }
  | { type: 'problem'; source: ProblemSource; subject: string; error: AppError }
  /** `code`: only that problem of the subject is over (a guard's finding); without, all of them. */
  | { type: 'recovered'; source: ProblemSource; subject: string; code?: string }
  | ({ type: 'gap' } & Gap)
  /** The system clock jumped by `stepMs` (the events log has the wall time beside it); marks and takes stay where they were. */
  | { type: 'clock-step'; stepMs: number; monoMs: number }
  /** A segment closed, or found after its capture process died (`recovered`): its audio data's SHA-256 enters the sitting's chain. */
  | { type: 'segment'; file: string; frames: number; bytes: number; dataSha256: string; chunkBytes: number | undefined; recovered: boolean }
  /** A chunk of a segment's audio data completed while it is written: its SHA-256 enters the sitting's chain. */
  | { type: 'chunk'; file: string; index: number; offset: number; bytes: number; sha256: string };

/** One run of the capture process on one device: where its first sample sits on the timeline. */
/** `clockPpm`: the device's clock against the system clock over the take (positive: fast), when it was long enough to tell. */
export interface TakeRecord { device: string; take: number; firstSampleWallMs: number; startSample: number; frames: number; clockPpm?: number }
export interface VideoSegmentRecord extends Omit<CameraSegment, 'path'> { file: string; offsetMs: number }
/** Silence on a device's timeline; `cause` when it is an interruption of the program or of the power that the sitting was continued after. */
export interface Gap { device: string; fromSample: number; toSample: number; cause?: GapCause }

/** `sitting.json`: everything finalize needs to know about what was recorded. */
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
  gaps: Gap[];
  problems: { wallMs: number; source: ProblemSource; subject: string; code: string }[];
  xruns: { overflows: number; underflows: number };
  /** What the health guards found (absent in summaries written before they existed). */
  health?: SummaryHealth;
}

export interface RecorderOptions {
  config: AbkConfig;
  caseNumber: string;
  /** ffmpeg to use; found from the configuration, ffmpeg-static or PATH when omitted. */
  tools?: FfmpegTools;
  /** Environment of the audio capture process (the virtual courtroom sets HOME to its ALSA config). */
  captureEnv?: Record<string, string>;
  /** Encode the mix live (default); off, finalize mixes from the WAV files. */
  liveMix?: boolean;
  /** The sitting's base name, when the database has chosen it. */
  base?: string;
  /** Continue this sitting (recorded before an interruption) in the same folder and on the same timeline. */
  resume?: { summary: SittingSummary; cause: InterruptionCause };
  /** Start in a break: the devices open, nothing is written until resume (a sitting that was paused when it was interrupted). */
  startPaused?: boolean;
  /** The microphones start at once and the cameras when this resolves (a dead engine's cameras still finishing their files). */
  camerasAfter?: Promise<unknown>;
  /** The sitting's lifecycle, already moved to `starting` by its session; a recorder on its own (the pre-session check) has one of its own. */
  lifecycle?: Lifecycle;
  /** Stems of the seats marked unused in the pre-session check: not watched, and the protocol says so. */
  unwatched?: string[];
  /** The pre-session check as it stood at Start, for the protocol. */
  selfTest?: SelfTest;
}
