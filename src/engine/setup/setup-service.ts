import { EventEmitter } from 'node:events';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listVideoInputs } from '../../capture/video/camera-devices.js';
import { locateFfmpeg, type FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import type { EngineEvent, EngineInfo, ROUTES, RouteOutput, SetupRouteName } from '../../shared/api/contract.js';
import type { CameraSource } from '../../shared/config.js';
import { AbkError, toAppError } from '../../shared/result.js';
import type { z } from 'zod';
import { hashPassword } from '../api/auth.js';
import { listAudioInputs } from './audio-inputs.js';
import { cameraSnapshot } from './camera-snapshot.js';
import { finishSetup } from './finish-setup.js';
import { audioBytesPerHour, checkRecordingsFolder } from './folder-check.js';
import { probeServer, testServer } from './server-test.js';
import { SetupRecorder } from './setup-recorder.js';
import { previewTemplate } from './template-preview.js';
import { testRecording } from './test-recording.js';

type Handlers = { [K in SetupRouteName | 'engine/info']: (input: z.output<(typeof ROUTES)[K]>) => Promise<RouteOutput<K>> | RouteOutput<K> };

export interface SetupServiceOptions {
  /** Where the configuration will be written. */
  configPath: string;
  captureEnv: Record<string, string>;
  version: string;
}

/**
 * The engine while this PC has no configuration: first-run setup only. It
 * lists the devices, meters an input's channels through the real capture path,
 * takes a camera's picture, probes and tests a regional server, renders the
 * protocol from a sample sitting, makes a test recording, and at the end
 * writes the configuration (`finished` resolves with it), after which the
 * engine starts as usual on the same address and token.
 */
export class SetupService extends EventEmitter<{ event: [EngineEvent] }> {
  readonly mode = 'setup';
  private readonly tools: FfmpegTools;
  private readonly scratch = mkdtempSync(join(tmpdir(), 'abk-setup-ui-'));
  /** The files `GET /media/setup/<name>` may serve: only these, made here. */
  private readonly served = new Set<string>();
  private meter: { device: string; rec: SetupRecorder } | undefined;
  /** One recording at a time (the meters or the test): the next waits for the last to be stopped. */
  private recording: Promise<unknown> = Promise.resolve();
  private pictures = 0;
  /** The meters' problems shown as alarms (a device unplugged while metered), cleared when they end. */
  private readonly alarms = new Set<string>();
  private resolveFinished!: (configPath: string) => void;
  readonly finished = new Promise<string>((r) => { this.resolveFinished = r; });

  constructor(private readonly opts: SetupServiceOptions) {
    super();
    this.tools = locateFfmpeg();
  }

  readonly handlers: Handlers = {
    'engine/info': () => this.info(),
    'setup/state': async () => ({
      configPath: this.opts.configPath,
      suggestedRoot: process.platform === 'win32' ? 'D:\\ABK' : join(homedir(), 'abk-recordings'),
      audio: (await listAudioInputs(this.opts.captureEnv)).map((d) => ({ name: d.name, hostApi: d.hostApi, channels: d.maxInputChannels })),
      cameras: await listVideoInputs(this.tools.ffmpeg),
    }),
    'setup/folder': ({ path, tracks, bitDepth, sampleRate }) => {
      const r = checkRecordingsFolder(path, audioBytesPerHour(tracks, sampleRate, bitDepth));
      if (!r.ok) throw new AbkError(r.error);
      return r.value;
    },
    'setup/meter': (d) => this.startMeter(d),
    // in turn with the starts, as they arrive: a stop cannot end meters started after it
    'setup/meter-stop': () => this.exclusive(async () => ({ stopped: await this.stopMeter() })),
    'setup/camera': ({ source }) => this.picture(source as CameraSource),
    'setup/server-probe': ({ host, port }) => probeServer(host, port),
    'setup/server-test': ({ server, hostKey, privateKeyPath }) => testServer(server, hostKey, privateKeyPath),
    'setup/template': async ({ templateDir, language }) => {
      const name = `protocol-${++this.pictures}.pdf`;
      const made = await previewTemplate(templateDir, language, join(this.scratch, name), this.scratch);
      this.served.add(name);
      return { previewUrl: `/media/setup/${name}`, template: made.template };
    },
    'setup/test-recording': ({ answers, seconds }) => this.exclusive(async () => {
      await this.stopMeter();
      return testRecording(answers, seconds, this.tools, this.opts.captureEnv, this.logPath);
    }),
    'setup/finish': async ({ answers, password }) => {
      await this.stopMeter();
      const present = await listAudioInputs(this.opts.captureEnv);
      finishSetup({ ...(answers as object), passwordHash: hashPassword(password) }, this.opts.configPath, present);
      // after this answer has left: the engine proper takes over the address
      setImmediate(() => this.resolveFinished(this.opts.configPath));
      return { configPath: this.opts.configPath };
    },
  };

  /** The setup's log beside the configuration: the test recordings' results, kept for the courtroom's records. */
  get logPath(): string {
    return join(dirname(this.opts.configPath), 'abk-setup.log');
  }

  mediaPath([what, file]: string[]): string | undefined {
    if (what !== 'setup' || !file || !this.served.has(file)) return undefined;
    const path = join(this.scratch, file);
    return existsSync(path) ? path : undefined;
  }

  private info(): EngineInfo {
    return { version: this.opts.version, setup: true, seats: [], cameras: [], servers: [], precheck: false, settingsUnlocked: false, alarms: [] };
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    // the last one's failure was its own caller's answer; this one runs after it either way
    const next = this.recording.catch(() => undefined).then(fn);
    this.recording = next;
    return next;
  }

  private startMeter(d: { device: string; hostApi?: string | undefined; channelCount: number }): Promise<{ metering: string }> {
    return this.exclusive(async () => {
      await this.stopMeter();
      const rec = new SetupRecorder(SetupRecorder.meterConfig({ name: d.device, hostApi: d.hostApi, channelCount: d.channelCount }), this.tools, this.opts.captureEnv);
      rec.rec.on('event', (e) => {
        if (e.type === 'levels') this.emit('event', { type: 'setup-levels', device: d.device, peaks: e.tracks.map((t) => t.peakDb) });
        if (e.type === 'problem') {
          this.alarms.add(`setup/${e.subject}`);
          this.emit('event', { type: 'alarm', key: `setup/${e.subject}`, source: e.source, subject: e.subject, error: e.error, wallMs: Date.now() });
        }
        if (e.type === 'recovered') this.clearAlarm(`setup/${e.subject}`);
      });
      try {
        await rec.start();
      } catch (e) {
        await rec.discard().catch((stop: unknown) => process.stderr.write(`setup: the meters' recording could not be removed: ${toAppError(stop, 'setup').message.en}\n`));
        throw e;
      }
      this.meter = { device: d.device, rec };
      return { metering: d.device };
    });
  }

  private async stopMeter(): Promise<boolean> {
    const m = this.meter;
    if (!m) return false;
    this.meter = undefined;
    await m.rec.discard();
    // what the meters' recording found ends with it
    [...this.alarms].forEach((k) => this.clearAlarm(k));
    return true;
  }

  private clearAlarm(key: string): void {
    if (this.alarms.delete(key)) this.emit('event', { type: 'alarm-cleared', key });
  }

  /** A camera's latest picture: one file per camera, replaced whole (the live preview asks every few seconds), its address changed so the page fetches it. */
  private async picture(source: CameraSource): Promise<{ previewUrl: string; width: number; height: number }> {
    const name = `camera-${createHash('sha256').update(JSON.stringify(source)).digest('hex').slice(0, 16)}.jpg`;
    const tmp = join(this.scratch, `${++this.pictures}.tmp.jpg`);
    try {
      await cameraSnapshot(this.tools.ffmpeg, source, tmp);
      renameSync(tmp, join(this.scratch, name));
    } finally {
      rmSync(tmp, { force: true });
    }
    this.served.add(name);
    return { previewUrl: `/media/setup/${name}?picture=${this.pictures}`, width: 640, height: 360 };
  }

  async close(): Promise<void> {
    await this.stopMeter();
    await this.recording.catch(() => undefined); // a test recording's failure was its caller's answer
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

