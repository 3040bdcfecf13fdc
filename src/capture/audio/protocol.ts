import type { FindingCode, SignalGuardConfig } from '../../shared/health.js';
import type { AppError } from '../../shared/result.js';
import type { DataChunk } from './data-chunks.js';
import type { ClosedSegment } from './wav-segment-writer.js';

/** Messages between the engine and the audio capture process (Node IPC, JSON). */

export interface TrackPlan {
  /** 0-based channel of the device. */
  deviceChannel: number;
  /** File stem, e.g. `mic01_judge`. */
  stem: string;
  /** Human name for the iXML track, e.g. `mic01 Судья`. */
  trackName: string;
}

export interface DevicePlan {
  key: string;
  name: string;
  hostApi?: string;
  channelCount: number;
  tracks: TrackPlan[];
}

export interface CaptureStart {
  type: 'start';
  outDir: string;
  project: string;
  take: number;
  sampleRate: number;
  bitDepth: 16 | 24;
  segmentFrames: number;
  /** Each segment's audio data is hashed in chunks of this many bytes, each told as it completes (data-chunks.ts). */
  chainChunkBytes: number;
  headerSyncMs: number;
  /** Open the devices but write nothing until `resume` (a restart during a break). */
  startPaused: boolean;
  devices: DevicePlan[];
  /** Encode the mix of all microphones live (see live-mixer.ts). */
  mixer?: MixerRequest;
  /** The thresholds of the signal and clock guards, and the stems of seats unused in this sitting (not watched). */
  guard: SignalGuardConfig;
  unwatched: string[];
}

export interface MixerRequest {
  ffmpeg: string;
  m4a: string;
  mp3: string;
  logFile: string;
  /** The sitting's zero (0 on its first take) and where each device's previous take ended: a restart's gap becomes silence in the mix. */
  zeroWallMs: number;
  padFromSample: Record<string, number>;
}

export interface AudioDeviceInfo {
  id: number;
  name: string;
  hostApi: string;
  maxInputChannels: number;
  defaultSampleRate: number;
}

/** `stop` with `atWallMs` ends every track at the sample of that instant, so audio and video end together. */
export type EngineToCapture = CaptureStart | { type: 'pause' } | { type: 'resume' } | { type: 'stop'; atWallMs?: number } | { type: 'list-devices' } | CaptureFault;

/**
 * A fault made on purpose, to test the guards on a real recording: the next
 * `dropFrames` frames of the device are thrown away unrecorded. Obeyed only
 * when the capture process runs with ABK_CAPTURE_FAULTS=1.
 */
export interface CaptureFault { type: 'fault'; device: string; dropFrames: number }

export interface SegmentRecord extends ClosedSegment {
  device: string;
  stem: string;
  take: number;
  index: number;
  /** First frame of the segment, counted from the take's first sample. */
  startFrame: number;
  /** Found on disk after its capture process died, never reported by it (repaired, placed by its time reference). */
  recovered?: true;
}

export type CaptureToEngine =
  | { type: 'ready'; pid: number }
  | { type: 'devices'; devices: AudioDeviceInfo[] }
  | { type: 'started'; device: string; info: AudioDeviceInfo; firstSampleWallMs: number }
  | { type: 'levels'; device: string; frames: number; wallMs: number; tracks: { peakDb: number; rmsDb: number }[] }
  | { type: 'segment'; segment: SegmentRecord }
  /** A chunk of a segment's audio data completed (data-chunks.ts): it enters the sitting's chain at once. */
  | { type: 'chunk'; device: string; path: string; chunk: DataChunk }
  | { type: 'paused' | 'resumed'; device: string; frame: number }
  | { type: 'stalled'; device: string; silentMs: number; frames: number }
  /** A guard's condition began (`on`) or ended, at `wallMs`; `stem` when it concerns one microphone, else the sound card. `value`: see shared/health.ts. */
  | { type: 'finding'; device: string; stem?: string; code: FindingCode; on: boolean; value?: number; wallMs: number }
  /** Every few seconds: the capture process's own CPU use (% of one core). */
  | { type: 'load'; cpuPercent: number }
  | { type: 'error'; device?: string; error: AppError; fatal: boolean }
  /** `clockPpm`: the card's clock against the system clock over the take (clock-guard.ts), when it was long enough to tell. */
  | { type: 'stopped'; device: string; frames: number; clockPpm?: number };
