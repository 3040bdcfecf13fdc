import { z } from 'zod';
import type { Lang } from '../result.js';

/**
 * The first-run setup's routes, served by the engine while this PC has no
 * configuration (engine/setup/setup-service.ts); the setup screen uses them
 * step by step, and `setup/finish` writes the configuration.
 */
const none = z.object({}).strict();
const cameraSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rtsp'), url: z.string().min(1).max(2000), transport: z.enum(['tcp', 'udp']).default('tcp') }).strict(),
  z.object({ kind: z.literal('v4l2'), device: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('dshow'), device: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('avfoundation'), device: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('test'), pattern: z.enum(['testsrc2', 'smptebars', 'flash']).default('testsrc2') }).strict(),
]);
const server = z.object({
  id: z.string().min(1).max(24),
  host: z.string().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(22),
  username: z.string().min(1).max(100),
  remoteRoot: z.string().min(1).max(1000),
}).strict();

export const SETUP_ROUTES = {
  /** What this PC has: its audio inputs, cameras, a suggested recordings folder. */
  'setup/state': none,
  /** Can recordings be written there, and for how many hours at this format. */
  'setup/folder': z.object({ path: z.string().min(1).max(1000), tracks: z.number().int().min(1).max(64), bitDepth: z.union([z.literal(16), z.literal(24)]), sampleRate: z.number().int().min(16000).max(48000) }).strict(),
  /** Live meters of every channel of one input (events `setup-levels`), until another input or `setup/meter-stop`. */
  'setup/meter': z.object({ device: z.string().min(1).max(200), hostApi: z.string().max(100).optional(), channelCount: z.number().int().min(1).max(64) }).strict(),
  'setup/meter-stop': none,
  /** One picture from a camera (its address answered), shown as the preview. */
  'setup/camera': z.object({ source: cameraSource }).strict(),
  /** The host key a server presents, to be compared and confirmed. */
  'setup/server-probe': z.object({ host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535).default(22) }).strict(),
  /** Confirm the key shown (it must still be the one presented), then a test file is uploaded, read back and removed. */
  'setup/server-test': z.object({ server, hostKey: z.string().min(1).max(20_000), privateKeyPath: z.string().min(1).max(1000) }).strict(),
  /** The protocol made from a sample sitting with the built-in templates or the court's own folder. */
  'setup/template': z.object({ templateDir: z.string().max(1000).optional(), language: z.enum(['kk', 'ru']) }).strict(),
  /** Ten seconds recorded with these answers: every microphone and camera passes or fails. */
  'setup/test-recording': z.object({ answers: z.unknown(), seconds: z.number().min(2).max(60).default(10) }).strict(),
  /** Write the configuration (the IT password is hashed here and never kept in clear); the engine then starts with it. */
  'setup/finish': z.object({ answers: z.unknown(), password: z.string().min(8, 'at least 8 characters').max(200) }).strict(),
} as const;

export interface SetupAudioInput { name: string; hostApi: string; channels: number }
export interface SetupState {
  configPath: string;
  suggestedRoot: string;
  audio: SetupAudioInput[];
  cameras: { kind: 'v4l2' | 'dshow' | 'avfoundation'; device: string; name: string }[];
}
export interface SetupFolder { path: string; freeBytes: number; bytesPerHour: number; hoursFree: number }
/** One result of the test recording: a microphone (`name` is its input and channel, with its seat) or a camera; `detail` in each language. */
export interface SetupCheck { kind: 'microphone' | 'camera'; name: string; seat?: string; label?: string; ok: boolean; detail: Record<Lang, string> }

/** A check as one line of text (the log, the terminal): "pass microphone UMC1820 3: witness (Куә мінбері): peak -12.0 dBFS". */
export const checkLine = (c: SetupCheck, lang: Lang): string =>
  `${c.ok ? 'pass' : 'FAIL'} ${c.kind} ${c.name}: ${c.seat ? `${c.seat}${c.label ? ` (${c.label})` : ''}: ` : ''}${c.detail[lang]}`;

export interface SetupOutputs {
  'setup/state': SetupState;
  'setup/folder': SetupFolder;
  'setup/meter': { metering: string };
  'setup/meter-stop': { stopped: boolean };
  'setup/camera': { previewUrl: string; width: number; height: number };
  'setup/server-probe': { keyLine: string; fingerprint: string; type: string };
  'setup/server-test': { hostKeys: string[]; uploadedBytes: number; md5: string; how: 'remote' | 'read-back' };
  'setup/template': { previewUrl: string; template: string };
  'setup/test-recording': { ok: boolean; checks: SetupCheck[]; logPath: string };
  'setup/finish': { configPath: string };
}

/** Pushed while the setup screen meters an input: each channel's peak (dBFS, -120 for digital silence) over the last tenth of a second. */
export type SetupEvent = { type: 'setup-levels'; device: string; peaks: number[] };
