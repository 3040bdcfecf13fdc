import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { configSchema, type AbkConfig } from '../../shared/config.js';
import { SittingRecorder } from '../recorder/sitting-recorder.js';
import type { SittingSummary } from '../recorder/recorder-types.js';

/**
 * A throw-away recording for setup (the meters, the test recording): the
 * real capture path with the configuration being made, into a temporary
 * folder removed when it ends, so what setup shows is what will be recorded.
 */
export class SetupRecorder {
  readonly rec: SittingRecorder;
  private readonly root: string;

  constructor(config: Omit<AbkConfig, 'recordingsRoot'>, tools: FfmpegTools, captureEnv: Record<string, string>, liveMix = false) {
    this.root = mkdtempSync(join(tmpdir(), 'abk-setup-'));
    this.rec = new SittingRecorder({ config: { ...config, recordingsRoot: this.root }, caseNumber: 'setup', base: `setup-${Date.now()}`, tools, captureEnv, liveMix });
  }

  /** Every channel of one input on its own track (channel N → "Channel N"), nothing else. */
  static meterConfig(device: { name: string; hostApi?: string | undefined; channelCount: number }): Omit<AbkConfig, 'recordingsRoot'> {
    const { recordingsRoot: _root, ...rest } = configSchema.parse({
      recordingsRoot: '/',
      audio: {
        devices: [{
          name: device.name, ...(device.hostApi ? { hostApi: device.hostApi } : {}), channelCount: device.channelCount,
          channels: Array.from({ length: device.channelCount }, (_, i) => ({ channel: i + 1, seat: 'other', label: `${i + 1}` })),
        }],
      },
    });
    return rest;
  }

  start(): Promise<void> {
    return this.rec.start();
  }

  /** Stop, hand the summary to `inspect` while the files still exist, then remove them. */
  async stop<T>(inspect: (s: SittingSummary) => T | Promise<T>): Promise<T> {
    try {
      return await inspect(await this.rec.stop());
    } finally {
      rmSync(this.root, { recursive: true, force: true });
    }
  }

  /** Stop and throw everything away (a recording that failed to start is only removed). */
  async discard(): Promise<void> {
    await this.stop(() => undefined);
  }
}
