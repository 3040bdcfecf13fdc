import { z } from 'zod';

/**
 * The recorder's health guards (cl. 7.7 of the order): what they watch, how
 * long a condition must last before it is a finding, and the findings as the
 * manifest keeps them. A finding is something that went wrong while the
 * sitting was recorded, from when to when, on which track or camera.
 */

/** Thresholds of the guards (`health` in abk.config.json), with defaults for a courtroom. */
export const healthConfigSchema = z.object({
  /** A microphone giving digital silence or a constant value this long, while others carry speech, is dead. */
  deadSeconds: z.number().min(1).max(3600).default(60),
  /** A microphone never rising above `quietDb` this long, while others carry speech, hears nothing but its noise floor. */
  quietSeconds: z.number().min(10).max(14_400).default(900),
  /** Below this RMS (dBFS, per 100 ms) a microphone carries no more than its noise floor. */
  quietDb: z.number().min(-120).max(-30).default(-70),
  /** At or above this RMS (dBFS, per 100 ms) a microphone carries speech. */
  speechDb: z.number().min(-80).max(-6).default(-40),
  /** A share of samples at full scale over `clipWindowSeconds` that counts as clipping. */
  clipShare: z.number().gt(0).max(0.5).default(0.001),
  clipWindowSeconds: z.number().min(0.2).max(60).default(2),
  /** Clipping is over when none is seen this long. */
  clipClearSeconds: z.number().min(1).max(600).default(10),
  /** A mean (DC offset) of this share of full scale over `dcWindowSeconds`, with little varying around it, is a fault of the microphone or its input. */
  dcLevel: z.number().gt(0).max(0.5).default(0.03),
  dcWindowSeconds: z.number().min(1).max(600).default(10),
  /** A steady tone (crest factor under 6 dB) above `humDb` for this long is hum. */
  humSeconds: z.number().min(5).max(3600).default(60),
  humDb: z.number().min(-90).max(-10).default(-50),
  /** Samples received against the monotonic clock, over windows of this length: a step of more than `clockStepMs` between windows is samples lost or added. */
  clockWindowSeconds: z.number().min(1).max(120).default(10),
  clockStepMs: z.number().min(5).max(5000).default(100),
  /** A sound card's clock off by more than this (parts per million, after `driftAfterSeconds`). */
  maxDriftPpm: z.number().min(10).max(100_000).default(500),
  driftAfterSeconds: z.number().min(10).max(86_400).default(300),
  /** Audio waiting to be read longer than this: the capture process falls behind. */
  captureLagMs: z.number().min(100).max(2900).default(1000),
  /** The 1-minute load average per core above which the PC is overloaded. */
  maxLoadPerCore: z.number().min(0.5).max(64).default(2),
  /** A camera's picture unchanged this long is frozen; black this long is black. */
  freezeSeconds: z.number().min(1).max(600).default(10),
  blackSeconds: z.number().min(1).max(600).default(5),
  /** A camera giving fewer than this share of its frame rate (over 5 s) is failing. */
  minFpsShare: z.number().gt(0).max(1).default(0.5),
  /** How often the system clock's synchronisation is asked while recording (0: never). */
  clockSyncMinutes: z.number().min(0).max(1440).default(10),
  /** Recordings not yet verified on both servers, in hours of recording, above which the secretary is told. */
  backlogHours: z.number().min(0.1).max(10_000).default(24),
}).refine((h) => h.quietDb < h.speechDb, { path: ['quietDb'], message: 'must be below speechDb' });

export type HealthConfig = z.infer<typeof healthConfigSchema>;
export const HEALTH_DEFAULTS: HealthConfig = healthConfigSchema.parse({});

/** What the capture process's guards need: the thresholds that concern the microphones and the sound cards. */
export type SignalGuardConfig = Pick<HealthConfig, 'deadSeconds' | 'quietSeconds' | 'quietDb' | 'speechDb' | 'clipShare' | 'clipWindowSeconds'
  | 'clipClearSeconds' | 'dcLevel' | 'dcWindowSeconds' | 'humSeconds' | 'humDb' | 'clockWindowSeconds' | 'clockStepMs' | 'maxDriftPpm'
  | 'driftAfterSeconds' | 'captureLagMs'>;

export const FINDING_CODES = [
  'mic-dead', 'mic-quiet', 'mic-clipping', 'mic-dc', 'mic-hum',
  'audio-samples-lost', 'audio-samples-added', 'audio-clock-drift', 'capture-lag',
  'camera-frozen', 'camera-black', 'camera-fps-low', 'camera-lost',
  'clock-step', 'clock-unsynced', 'system-overload',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
export const isFindingCode = (code: string): code is FindingCode => (FINDING_CODES as readonly string[]).includes(code);
/** Findings that are an instant, not a stretch: begun and ended at once, their alarm kept until acknowledged. */
export const INSTANT_CODES: readonly FindingCode[] = ['audio-samples-lost', 'audio-samples-added', 'clock-step'];

/** Which conditions a guard has found and not yet seen end: a change is told once. */
export class Conditions {
  private readonly on = new Set<FindingCode>();
  has(code: FindingCode): boolean { return this.on.has(code); }
  /** Whether this changes anything (a begin while on, or an end while off, does not). */
  change(code: FindingCode, on: boolean): boolean {
    if (this.on.has(code) === on) return false;
    if (on) this.on.add(code); else this.on.delete(code);
    return true;
  }
  list(): FindingCode[] { return [...this.on]; }
}

export const FINDING_SOURCES = ['audio', 'camera', 'clock', 'system'] as const;

/** A finding on the sitting's timeline: `toMs` null when it lasted until Stop; `subject` a microphone's stem, a camera's id or a sound card. */
export const findingSchema = z.object({
  source: z.enum(FINDING_SOURCES),
  subject: z.string(),
  code: z.enum(FINDING_CODES),
  fromMs: z.number().int(),
  toMs: z.number().int().nullable(),
  /** A figure that goes with it: samples lost (ms), drift (ppm), clock step (ms). */
  value: z.number().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const SELF_TEST_RESULTS = ['pass', 'fail', 'unused'] as const;

/** The pre-session check as it stood when Start was pressed. */
export const selfTestSchema = z.object({
  at: z.string(),
  microphones: z.array(z.object({ stem: z.string(), result: z.enum(SELF_TEST_RESULTS) })),
  cameras: z.array(z.object({ id: z.string(), result: z.enum(['pass', 'fail']) })),
  disk: z.object({ hoursLeft: z.number(), result: z.enum(['pass', 'fail']) }),
  servers: z.array(z.object({ id: z.string(), result: z.enum(['pass', 'fail']) })),
  clock: z.enum(['synced', 'unsynced', 'unknown']),
});
export type SelfTest = z.infer<typeof selfTestSchema>;

/** The manifest's `health`: what the guards found, the seats not watched (unused in this sitting), and the self-test. */
export const healthSchema = z.object({
  findings: z.array(findingSchema),
  unwatched: z.array(z.string()),
  selfTest: selfTestSchema.nullable(),
});
export type SittingHealth = z.infer<typeof healthSchema>;
