import { homedir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type AbkConfig } from '../../shared/config.js';
import type { SeatRole } from '../../shared/seats.js';
import { PulseSoundCard, type VirtualSink } from './pulse-sound-card.js';

/** Seats of the virtual courtroom's microphones, in channel order. */
export const VIRTUAL_SEATS: SeatRole[] = [
  'judge', 'secretary', 'prosecutor', 'defendant', 'defence', 'witness', 'plaintiff', 'victim',
  'expert', 'interpreter', 'representative', 'third-party', 'associate-judge', 'room', 'other', 'other',
];

export const defaultCourtroomDir = (): string =>
  process.env.ABK_VIRTUAL_COURTROOM_DIR ?? join(process.env.XDG_STATE_HOME ?? join(homedir(), '.local', 'state'), 'abk', 'virtual-courtroom');

/**
 * The courtroom of tests and demos: a multichannel sound card that PortAudio
 * opens like real hardware, and a camera (ffmpeg test source, or an RTSP
 * camera on loopback).
 */
export class VirtualCourtroom {
  readonly card: PulseSoundCard;

  constructor(stateDir = defaultCourtroomDir()) {
    this.card = new PulseSoundCard(stateDir);
  }

  /** Environment the audio capture process needs to see the virtual sound card. */
  get captureEnv(): Record<string, string> {
    return { HOME: this.card.alsaHome };
  }

  async soundCard(channels: number, bitDepth: 16 | 24): Promise<VirtualSink> {
    if (channels < 1 || channels > VIRTUAL_SEATS.length) throw new RangeError(`the virtual courtroom has 1 to ${VIRTUAL_SEATS.length} microphones`);
    await this.card.start();
    return this.card.addSink(channels, bitDepth);
  }

  /** A configuration that records this courtroom: every channel to its seat, and a test camera. */
  config(recordingsRoot: string, sink: VirtualSink, opts: { camera?: 'test' | 'flash' | 'none' | { rtspUrl: string }; segmentSeconds?: number; chainChunkSeconds?: number } = {}): AbkConfig {
    const camera = opts.camera ?? 'test';
    const cameras = camera === 'none' ? [] : [{
      id: 'cam1', label: 'Зал', width: 640, height: 360, fps: 25,
      source: typeof camera === 'string' ? { kind: 'test', pattern: camera === 'flash' ? 'flash' : 'testsrc2' } : { kind: 'rtsp', url: camera.rtspUrl, transport: 'tcp' },
    }];
    return configSchema.parse({
      recordingsRoot,
      audio: {
        sampleRate: 48000, bitDepth: sink.bitDepth,
        ...(opts.segmentSeconds !== undefined ? { segmentSeconds: opts.segmentSeconds } : {}),
        ...(opts.chainChunkSeconds !== undefined ? { chainChunkSeconds: opts.chainChunkSeconds } : {}),
        devices: [{ name: sink.name, channelCount: sink.channels, channels: VIRTUAL_SEATS.slice(0, sink.channels).map((seat, i) => ({ channel: i + 1, seat })) }],
      },
      video: { cameras },
    });
  }
}
