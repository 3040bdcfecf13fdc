import { z } from 'zod';

/**
 * `abk-medium.json`, the index at the root of every disc, ISO or USB stick
 * `abk export` writes: which sittings it holds, what kind of copy, which disc
 * of how many, and every file on the whole set with its size and hashes, so
 * the portable player and a court's IT engineer can check a copy with the
 * medium alone. The sittings' own sealed manifests are on it too, whole:
 * this index says what was copied, the manifests what was recorded.
 */
export const MEDIUM_FORMAT = 'abk-abt-medium';
export const MEDIUM_INDEX = 'abk-medium.json';
export const PLAYER_FILE = 'ABK-Player.html';
export const MEDIUM_README = 'README.txt';
/** The index and the sealed manifests as a classic script: all a page opened from file:// may load beside itself. */
export const MEDIUM_SCRIPT = 'abk-medium.js';

/** `original`: the electronic protocol, every file exactly as sealed. `listening`: copies made from it to listen to (stated as derived). */
export const MEDIUM_CONTENTS = ['original', 'listening'] as const;
export type MediumContents = (typeof MEDIUM_CONTENTS)[number];
export const MEDIUM_KINDS = ['iso', 'disc', 'folder', 'fat-image'] as const;
export type MediumKind = (typeof MEDIUM_KINDS)[number];

const hex = (n: number): z.ZodString => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`), `${n} hexadecimal digits`);
/** A path on the medium: folders split by `/`, no empty part, no `.` or `..`. */
const mediumPath = z.string().min(1).max(400).refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && !s.includes('\\')), 'a relative path on the medium');

export const mediumFileSchema = z.object({
  path: mediumPath,
  bytes: z.number().int().min(0),
  md5: hex(32),
  sha256: hex(64),
  /** Which disc of the set holds it (1 when there is one); 0: every disc does (a sitting's manifest, seal, checksum lists). */
  disc: z.number().int().min(0),
});
export type MediumFile = z.infer<typeof mediumFileSchema>;

export const mediumSittingSchema = z.object({
  base: z.string().min(1),
  /** Its folder on the medium. */
  folder: mediumPath,
  caseNumber: z.string(),
  /** The sitting's current manifest revision, as sealed: compare `sha256` with the one printed in the protocol. */
  manifest: z.object({ path: mediumPath, revision: z.number().int().min(1), sha256: hex(64), md5: hex(32) }),
  /** A listening copy names the originals it was made from (their names, sizes and hashes are in the manifest). */
  derivedFrom: z.array(z.object({ name: z.string(), bytes: z.number().int().min(0), md5: hex(32), sha256: hex(64) })).optional(),
});
export type MediumSitting = z.infer<typeof mediumSittingSchema>;

export const mediumIndexSchema = z.object({
  format: z.literal(MEDIUM_FORMAT),
  formatVersion: z.literal(1),
  contents: z.enum(MEDIUM_CONTENTS),
  madeAt: z.string(),
  software: z.object({ name: z.literal('ABK ABT'), version: z.string() }),
  disc: z.object({ number: z.number().int().min(1), of: z.number().int().min(1) }),
  caseNumber: z.string(),
  sittings: z.array(mediumSittingSchema).min(1),
  /** Every file of the set but this index, the player and the README. */
  files: z.array(mediumFileSchema),
});
export type MediumIndex = z.infer<typeof mediumIndexSchema>;

export class MediumIndexError extends Error {}

/** The index's text checked against its schema; a text that is not one throws, naming why. */
export function parseMediumIndex(text: string): MediumIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MediumIndexError(`${MEDIUM_INDEX} is not JSON: ${(e as Error).message}`);
  }
  const r = mediumIndexSchema.safeParse(raw);
  if (!r.success) throw new MediumIndexError(`${MEDIUM_INDEX} is not a medium index: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** What blank discs hold (bytes of data in one session), to show whether a copy fits before a disc is chosen. */
export const DISC_CAPACITIES = [
  { id: 'cd', label: 'CD 700 MB', bytes: 737_280_000 },
  { id: 'dvd', label: 'DVD 4.7 GB', bytes: 4_700_372_992 },
  { id: 'dvd-dl', label: 'DVD-DL 8.5 GB', bytes: 8_543_666_176 },
  { id: 'bd', label: 'BD 25 GB', bytes: 25_025_314_816 },
  { id: 'bd-dl', label: 'BD 50 GB', bytes: 50_050_629_632 },
] as const;
