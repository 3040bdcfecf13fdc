import { z } from 'zod';
import { HEALTH_DEFAULTS, healthConfigSchema } from './health.js';
import { SEAT_ROLE_IDS } from './seats.js';
import { formatIssues } from './validation.js';

/**
 * The appliance configuration (abk.config.json), validated at load. Defaults
 * describe a typical courtroom; IT staff override what differs.
 */
const channelSchema = z.object({
  /** 1-based channel of the input device. */
  channel: z.number().int().min(1).max(64),
  seat: z.enum(SEAT_ROLE_IDS),
  /** Free label shown to the secretary, e.g. "Свидетель (трибуна)". */
  label: z.string().max(80).optional(),
});

const audioDeviceSchema = z.object({
  /** PortAudio device name (exact, else a unique substring), e.g. "abk8" or "USB Audio CODEC". */
  name: z.string().min(1),
  /** Host API to prefer when several carry the name (ALSA, WASAPI, MME, CoreAudio). */
  hostApi: z.string().optional(),
  /** Channels to open on the device; defaults to the highest channel mapped. */
  channelCount: z.number().int().min(1).max(64).optional(),
  channels: z.array(channelSchema).min(1),
});

const cameraSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('test'), pattern: z.enum(['testsrc2', 'smptebars', 'flash']).default('testsrc2') }),
  z.object({ kind: z.literal('rtsp'), url: z.string().regex(/^rtsps?:\/\//, 'must start with rtsp://'), transport: z.enum(['tcp', 'udp']).default('tcp') }),
  z.object({ kind: z.literal('v4l2'), device: z.string().default('/dev/video0') }),
  z.object({ kind: z.literal('dshow'), device: z.string().min(1) }),
  z.object({ kind: z.literal('avfoundation'), device: z.string().min(1) }),
]);

const cameraSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,24}$/, 'use lower-case letters, digits and dashes'),
  label: z.string().max(80).optional(),
  source: cameraSourceSchema,
  width: z.number().int().min(640).default(640),
  height: z.number().int().min(320).default(360),
  fps: z.number().int().min(5).max(60).default(25),
  /** `auto`: copy an IP camera's stream, else H.264 where ffmpeg has x264, else MPEG-4 Part 2. */
  codec: z.enum(['auto', 'h264', 'mpeg4']).default('auto'),
  /** Seconds between reconnect attempts after a camera is lost. */
  reconnectSeconds: z.number().min(1).max(300).default(5),
});

/** The data of a standard WAV file must stay under 4 GiB (its sizes are 32-bit), less room for its header. */
export const WAV_LIMIT_BYTES = 0xffffffff - 4096;

export const configSchema = z.object({
  /** The interface's language until a user of this PC picks another (first-run setup asks for it). */
  language: z.enum(['kk', 'ru', 'en']).optional(),
  recordingsRoot: z.string().min(1),
  /** Path of ffmpeg; else ffmpeg-static if installed; else `ffmpeg` on PATH. */
  ffmpegPath: z.string().optional(),
  ffprobePath: z.string().optional(),
  audio: z.object({
    sampleRate: z.number().int().min(16000).max(48000).default(48000),
    bitDepth: z.union([z.literal(16), z.literal(24)]).default(24),
    /**
     * Length of a capture segment. Unset (the default): as long as one WAV may be (`maxWavPartBytes`),
     * so a sitting without a break or a restart is one file a microphone, written in place and linked
     * into the package at Stop. Set only to test segments.
     */
    segmentSeconds: z.number().int().min(10).max(86_400).optional(),
    /** While a segment is written, its audio data's SHA-256 is taken in chunks this long, each entering the sitting's chain as it completes. */
    chainChunkSeconds: z.number().int().min(1).max(3600).default(60),
    /** How often the WAV headers on disk are brought up to date (a crash loses at most this much). */
    headerSyncSeconds: z.number().min(0.2).max(10).default(1),
    /**
     * A microphone's finished WAV is cut into parts (`_p2`, `_p3`, …) before its data would pass this
     * size: a standard WAV's sizes are 32-bit, so 4 GiB (about 8.3 h at 48 kHz/24-bit) is the most one
     * file can hold. Lowered only to test the cut.
     */
    maxWavPartBytes: z.number().int().min(1 << 20).max(WAV_LIMIT_BYTES).default(WAV_LIMIT_BYTES),
    devices: z.array(audioDeviceSchema).min(1),
  }).refine((a) => a.segmentSeconds === undefined || a.maxWavPartBytes >= a.segmentSeconds * a.sampleRate * (a.bitDepth / 8), {
    path: ['maxWavPartBytes'], message: 'must hold at least one capture segment (segmentSeconds × sampleRate × bytes per sample)',
  }),
  video: z.object({ cameras: z.array(cameraSchema).default([]) }).default({ cameras: [] }),
  disk: z.object({
    warnFreeMiB: z.number().int().min(1).default(4096),
    stopFreeMiB: z.number().int().min(1).default(256),
  }).default({ warnFreeMiB: 4096, stopFreeMiB: 256 }),
  protocol: z.object({
    /** A folder with the court's own `kk.docx` and/or `ru.docx`; a language without one uses the built-in template. */
    templateDir: z.string().optional(),
    /** LibreOffice's `soffice`, which makes the PDF; else found on PATH or in the usual install folders. */
    sofficePath: z.string().optional(),
  }).default({}),
  /** The regional servers the finished files are copied to (cl. 5, 7.4): the primary and the reserve, over SFTP. */
  replication: z.object({
    servers: z.array(z.object({
      id: z.string().regex(/^[a-z0-9-]{1,24}$/, 'use lower-case letters, digits and dashes'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(22),
      username: z.string().min(1).optional(),
      /** Where the sittings go on the server; the year/case/sitting folders below it mirror the local ones. */
      remoteRoot: z.string().min(1).optional(),
      /**
       * The server's host keys as `known_hosts` lines or their key part (`ssh-ed25519 AAAA…`), or
       * `SHA256:…` fingerprints. Nothing is sent to a server whose key is not among them
       * (`abk replicate trust SERVER` shows the key it presents).
       */
      hostKeys: z.array(z.string().min(1)).default([]),
    })).default([]),
    /** This PC's private key (OpenSSH format, without passphrase, readable by its owner only). */
    privateKeyPath: z.string().min(1).optional(),
    /** Upload speed cap in KiB/s while a sitting is being recorded, so copying never competes with it (0: no copying then). */
    whileRecordingKiBps: z.number().int().min(0).default(4096),
    /** Upload speed cap in KiB/s otherwise (0: none). */
    maxKiBps: z.number().int().min(0).default(0),
    /** Retries after a failure wait 5 s, 10 s, 20 s … up to this, with jitter. */
    maxRetrySeconds: z.number().int().min(5).max(3600).default(300),
    /** How often copies already verified are checked again on the server (0: never). */
    reverifyHours: z.number().min(0).default(24),
    /**
     * What moves the bytes: OpenSSH's `sftp` client ('openssh', as fast as OpenSSH itself), ssh2 inside
     * the engine ('ssh2'), or 'auto': OpenSSH's client when it is installed, else ssh2.
     */
    transfer: z.enum(['auto', 'openssh', 'ssh2']).default('auto'),
    /** OpenSSH's `sftp` (default: found on the PATH, or C:\Windows\System32\OpenSSH on Windows). */
    sftpPath: z.string().min(1).optional(),
  }).default({ servers: [], whileRecordingKiBps: 4096, maxKiBps: 0, maxRetrySeconds: 300, reverifyHours: 24, transfer: 'auto' }),
  /**
   * The seal of every sitting's manifest (a detached CMS signature): the
   * appliance's key and certificate live in `keyDir` (default
   * `<recordingsRoot>/.seal`, made at first use, the key readable by its owner
   * only); `trusted` are PEM files (the court CA, other appliances) that
   * `abk verify --config` checks signers against.
   */
  seal: z.object({
    keyDir: z.string().min(1).optional(),
    trusted: z.array(z.string().min(1)).default([]),
    /** The openssl program; else `openssl` on PATH. */
    openssl: z.string().min(1).optional(),
    /**
     * An RFC 3161 timestamp server: every seal is timestamped. When it does
     * not answer, the seal is made without, and the timestamp is added when
     * it answers again (tried every `retryMinutes`).
     */
    tsa: z.object({
      url: z.string().url().refine((u) => /^https?:/i.test(u), 'an http:// or https:// address'),
      timeoutSeconds: z.number().positive().max(300).default(15),
      retryMinutes: z.number().positive().default(10),
    }).optional(),
    /** PEM files of the TSAs (or their CAs) whose timestamps `abk verify --config` accepts. */
    trustedTsa: z.array(z.string().min(1)).default([]),
  }).default({ trusted: [], trustedTsa: [] }),
  /**
   * Writing sittings to a disc or a USB stick (`abk export`, the library's
   * "Write to disc / USB"): xorriso for images and burning on Linux, and
   * where the library writes ISO images (default `<recordingsRoot>/exports`).
   */
  export: z.object({
    xorriso: z.string().min(1).default('xorriso'),
    isoFolder: z.string().min(1).optional(),
    /** Windows: powershell.exe, which runs native/windows/burn-imapi2.ps1. */
    powershell: z.string().min(1).default('powershell.exe'),
  }).default({ xorriso: 'xorriso', powershell: 'powershell.exe' }),
  /** The health guards' thresholds while recording (shared/health.ts; the README lists them). */
  health: healthConfigSchema.default(HEALTH_DEFAULTS),
  /** IT staff's settings screen: unlocked with a password whose scrypt hash is kept here (`abk password` sets it). */
  admin: z.object({ passwordHash: z.string().regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/).optional() }).default({}),
});

export type AbkConfig = z.infer<typeof configSchema>;

/** Frames in one capture segment: `segmentSeconds`, else as many as one WAV part holds; always an even data size. */
export function segmentFrames(a: Pick<AbkConfig['audio'], 'segmentSeconds' | 'sampleRate' | 'bitDepth' | 'maxWavPartBytes'>): number {
  const bps = a.bitDepth / 8;
  const frames = a.segmentSeconds !== undefined ? a.segmentSeconds * a.sampleRate : Math.floor(a.maxWavPartBytes / bps);
  // a 24-bit mono segment needs an even frame count to have an even data size
  if (bps % 2 === 0 || frames % 2 === 0) return frames;
  return a.segmentSeconds !== undefined ? frames + 1 : frames - 1;
}

/** Bytes of audio data in one chunk of the sitting's chain (data-chunks.ts). */
export function chainChunkBytes(a: Pick<AbkConfig['audio'], 'chainChunkSeconds' | 'sampleRate' | 'bitDepth'>): number {
  return a.chainChunkSeconds * a.sampleRate * (a.bitDepth / 8);
}
export type AudioDeviceConfig = AbkConfig['audio']['devices'][number];
export type CameraConfig = AbkConfig['video']['cameras'][number];
export type CameraSource = CameraConfig['source'];

/** Validate a parsed config; the error lists every bad field with its path. */
export function parseConfig(input: unknown): { ok: true; value: AbkConfig } | { ok: false; error: string } {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: formatIssues(parsed.error) };
  }
  for (const dev of parsed.data.audio.devices) {
    const seen = new Set<number>();
    for (const ch of dev.channels) {
      if (seen.has(ch.channel)) return { ok: false, error: `audio.devices "${dev.name}": channel ${ch.channel} is mapped twice` };
      seen.add(ch.channel);
    }
    const highest = Math.max(...dev.channels.map((c) => c.channel));
    if (dev.channelCount !== undefined && dev.channelCount < highest) {
      return { ok: false, error: `audio.devices "${dev.name}": channel ${highest} is mapped but channelCount is ${dev.channelCount}` };
    }
  }
  const ids = parsed.data.video.cameras.map((c) => c.id);
  if (new Set(ids).size !== ids.length) return { ok: false, error: 'video.cameras: camera ids must be unique' };
  return { ok: true, value: parsed.data };
}
