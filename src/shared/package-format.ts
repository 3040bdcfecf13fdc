import { z } from 'zod';
import { healthSchema } from './health.js';
import { GAP_CAUSES, sittingFieldsSchema } from './sitting.js';

/**
 * The sitting package's manifest, as a versioned format (README: "The sitting
 * package"). Every reader goes through `parseManifest`, which accepts every
 * version ever written and gives the current shape:
 *
 * - formatVersion 1 (`version: 1`): the media files only; `utcOffset` added later, optional.
 * - formatVersion 2: revisions. Finalize writes revision 1 (the media); each
 *   protocol made writes the next revision, listing every file of the folder
 *   and naming the previous revision (kept beside it) by its SHA-256.
 * - formatVersion 3: `audit`, the appliance's audit log's head when the
 *   revision was written (a log cut back or rewritten since is found by it);
 *   `chain`, the sitting's segment-and-mark chain at finalize; a gap's cause
 *   may be `segment-removed`.
 */
export const MANIFEST_FORMAT = 'abk-abt-manifest';
export const FORMAT_VERSION = 3;

const hex = (n: number): z.ZodString => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `${n} hexadecimal digits`);
/** A file name inside the package folder: no folder part, nothing hidden. */
const fileName = z.string().min(1).max(255).refine((n) => !n.includes('/') && !n.includes('\\') && !n.startsWith('.') && !n.includes('\n'), 'a plain file name');

export const FILE_KINDS = ['microphone', 'mix', 'video', 'audio-video', 'protocol', 'manifest-revision'] as const;

export const manifestFileSchema = z.object({
  name: fileName,
  kind: z.enum(FILE_KINDS),
  bytes: z.number().int().min(0),
  md5: hex(32),
  sha256: hex(64),
  /** Media only. */
  durationMs: z.number().int().min(0).optional(),
  microphone: z.object({
    number: z.number().int().min(1), stem: z.string(), seat: z.string(), trackName: z.string(), device: z.string(), deviceChannel: z.number().int().min(1),
  }).optional(),
  /** One of several files of a microphone longer than a WAV can hold: its place among them and where it starts in the media. */
  part: z.object({ index: z.number().int().min(1), of: z.number().int().min(2), startMs: z.number().int().min(0) }).optional(),
  camera: z.string().optional(),
  /** Audio-video file: where the audio starts in it (the camera started first). */
  audioStartMs: z.number().int().optional(),
  /** A manifest revision kept in the folder: its number. */
  revision: z.number().int().min(1).optional(),
});

export const manifestMarkSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  seat: z.string().optional(),
  participant: z.string().optional(),
  text: z.string().optional(),
  corrects: z.number().int().optional(),
  /** On the sitting's timeline (zero = first sample, breaks included). */
  timelineMs: z.number().int(),
  /** In the microphone and mix files (breaks left out). */
  mediaMs: z.number().int(),
  /** In the audio-video file. */
  avMs: z.number().int(),
  wallTime: z.string(),
});

const body = {
  format: z.literal(MANIFEST_FORMAT),
  base: fileName,
  caseNumber: z.string(),
  sitting: sittingFieldsSchema.nullable(),
  timeZone: z.literal('Asia/Almaty'),
  startedAt: z.string(),
  endedAt: z.string(),
  sampleRate: z.number().int().positive(),
  bitDepth: z.number().int().positive(),
  mediaDurationMs: z.number().int().min(0),
  files: z.array(manifestFileSchema),
  marks: z.array(manifestMarkSchema),
  pauses: z.array(z.object({ fromMs: z.number().int(), toMs: z.number().int() })),
  /** `cause`: the interruption (program stopped, power lost) after which the sitting was continued. */
  gaps: z.array(z.object({ device: z.string(), fromMs: z.number().int(), toMs: z.number().int(), cause: z.enum(GAP_CAUSES).optional() })),
  problems: z.array(z.object({ at: z.string(), source: z.string(), subject: z.string(), code: z.string() })),
  software: z.object({ name: z.literal('ABK ABT'), version: z.string() }),
};

const v1Schema = z.object({ ...body, version: z.literal(1), utcOffset: z.string().optional() });

/** The audit log's last event (its id and chained hash) at a moment: the log must still hold it, unchanged. */
export const auditHeadSchema = z.object({ event: z.number().int().min(1), hash: hex(64) });
export type AuditHead = z.infer<typeof auditHeadSchema>;

const v2 = {
  ...body,
  /** Asia/Almaty's offset from UTC at the start, `+05:00`. */
  utcOffset: z.string().regex(/^[+-]\d\d:\d\d$/),
  revision: z.number().int().min(1),
  /** The revision this one follows, kept in the folder under `name`; null for the first. */
  previous: z.object({ revision: z.number().int().min(1), name: fileName, sha256: hex(64) }).nullable(),
  /** When this revision was written, and why (finalize, protocol). */
  writtenAt: z.string(),
  reason: z.enum(['finalize', 'protocol']),
};
const v2Schema = z.object({ ...v2, formatVersion: z.literal(2) });

export const manifestSchema = z.object({
  ...v2,
  formatVersion: z.literal(FORMAT_VERSION),
  /** The audit log's head when this revision was written; null when it was written with no audit log (none is open). */
  audit: auditHeadSchema.nullable(),
  /** The sitting's chain (every segment and mark, as recorded) at finalize: its length and head; null when it had none. */
  chain: z.object({ entries: z.number().int().min(0), head: hex(64) }).nullable(),
  /** What the health guards found while recording, the seats not watched, the pre-session self-test (absent before they existed). */
  health: healthSchema.optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;
export type ManifestMark = z.infer<typeof manifestMarkSchema>;
export type FileKind = ManifestFile['kind'];

export class ManifestError extends Error {}

/** A manifest's text, checked against its version's schema and given in the current shape (a version-1 one as revision 1 of the media). */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`the manifest is not JSON: ${(e as Error).message}`);
  }
  const version = (raw as { formatVersion?: unknown; version?: unknown } | null)?.formatVersion ?? (raw as { version?: unknown } | null)?.version;
  if (version === 1) {
    const r = v1Schema.safeParse(raw);
    if (!r.success) throw new ManifestError(`the manifest (format version 1) is not valid: ${issues(r.error)}`);
    // a version-1 manifest without an offset was written after Almaty moved to UTC+5 (1 March 2024): this program did not exist before
    const { version: _v, utcOffset, ...rest } = r.data;
    return { ...rest, formatVersion: FORMAT_VERSION, utcOffset: utcOffset ?? '+05:00', revision: 1, previous: null, writtenAt: rest.endedAt, reason: 'finalize', audit: null, chain: null };
  }
  if (version === 2) {
    const r = v2Schema.safeParse(raw);
    if (!r.success) throw new ManifestError(`the manifest (format version 2) is not valid: ${issues(r.error)}`);
    return { ...r.data, formatVersion: FORMAT_VERSION, audit: null, chain: null };
  }
  if (version !== FORMAT_VERSION) throw new ManifestError(`the manifest's format version ${JSON.stringify(version)} is not one this program knows (it reads 1 to ${FORMAT_VERSION}): use a newer ABK ABT`);
  const r = manifestSchema.safeParse(raw);
  if (!r.success) throw new ManifestError(`the manifest is not valid: ${issues(r.error)}`);
  return r.data;
}

const issues = (e: z.ZodError): string => e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
