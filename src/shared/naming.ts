import { AbkError, appError } from './result.js';
import { almatyParts } from './timeline.js';

/**
 * File-system-safe names. Case numbers are opaque strings typed by people:
 * they may hold `/`, `\`, `:`, `..`, Kazakh letters, or be very long.
 *
 * Every name a sitting produces must fit one path component of ISO 9660 with
 * Joliet (64 characters), so a hearing written to disc keeps its names; FAT32,
 * exFAT, NTFS and ext4 allow more. The longest file name is
 * `<base>` + `_mic01_associate-judge.wav` (26), and a base is
 * `<case>_YYYY-MM-DD_HH-mm` (+17) with room for `_2`…`_99` (+3): so the case
 * part of a base gets 18 characters; a longer one is cut and given a short
 * hash of the whole number, so two long numbers that share a beginning stay apart.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
export const MAX_NAME_CHARS = 64;
const MAX_FOLDER_SLUG_CHARS = 64;
export const MAX_BASE_CASE_CHARS = 18;
export const MAX_SUFFIX_CHARS = 26;

/** The error for an empty case number, in the three languages. */
export function emptyCaseNumber(): AbkError {
  return new AbkError(appError('case-number-empty', 'The case number is empty: enter the case number before recording.',
    'Номер дела не указан: введите номер дела перед началом записи.', 'Іс нөмірі бос: жазуды бастамас бұрын іс нөмірін енгізіңіз.'));
}

/** FNV-1a, 32 bits, as 4 base-36 characters: a short, stable tag of a long case number. */
function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return (h % 36 ** 4).toString(36).padStart(4, '0');
}

const trimEnds = (s: string): string => s.replace(/^[-_.]+|[-_. ]+$/g, '');

/** The case number as one safe path component of at most `maxChars` characters. */
export function caseSlug(caseNumber: string, maxChars = MAX_FOLDER_SLUG_CHARS): string {
  const trimmed = caseNumber.normalize('NFC').trim();
  if (trimmed === '') throw emptyCaseNumber();
  let slug = trimmed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[/\\]+/g, '_')
    .replace(/[:*?"<>|]+/g, '-')
    .replace(/\s+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/([-_]){2,}/g, '$1');
  slug = trimEnds(slug);
  if (slug === '') slug = 'case';
  if (WINDOWS_RESERVED.test(slug)) slug = `${slug}_`;
  const chars = [...slug];
  if (chars.length <= maxChars) return slug;
  return `${trimEnds(chars.slice(0, maxChars - 5).join(''))}~${shortHash(trimmed)}`;
}

/** `<case>_<YYYY-MM-DD>_<HH-mm>` in Asia/Almaty time, short enough for every file name it prefixes. */
export function sittingBase(caseNumber: string, startMs: number): string {
  const p = almatyParts(startMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${caseSlug(caseNumber, MAX_BASE_CASE_CHARS)}_${p.year}-${two(p.month)}-${two(p.day)}_${two(p.hour)}-${two(p.minute)}`;
}

/** `base`, or `base_2`, `base_3`, … — the first that is not taken (two sittings of a case in one minute). */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  let candidate = base;
  for (let n = 2; taken(candidate); n++) candidate = `${base}_${n}`;
  return candidate;
}

/** Where a finalized sitting lives under the recordings root: `<year>/<case>/<base>`. */
export function finalFolder(caseNumber: string, startMs: number, base: string): string[] {
  return [String(almatyParts(startMs).year), caseSlug(caseNumber), base];
}

/** The names of a sitting's files (ARCHITECTURE §3). */
export const fileNames = {
  mic: (base: string, stem: string): string => `${base}_${stem}.wav`,
  /** Part 2, 3, … of a microphone past the WAV size limit: `_p2` after the stem, or after `micNN` alone where the full name would pass 64 characters. */
  micPart: (base: string, stem: string, part: number): string => {
    const full = `${base}_${stem}_p${part}.wav`;
    return full.length <= MAX_NAME_CHARS ? full : `${base}_${stem.slice(0, 5)}_p${part}.wav`;
  },
  video: (base: string, cameraIndex: number): string => `${base}_video${cameraIndex === 0 ? '' : String(cameraIndex + 1)}.mp4`,
  mix: (base: string): string => `${base}_mix.mp3`,
  av: (base: string): string => `${base}_av.mp4`,
  manifest: (base: string): string => `${base}_manifest.json`,
  protocol: (base: string, ext: 'docx' | 'pdf' | 'json' | 'xml'): string => `${base}_protocol.${ext}`,
  md5sums: (): string => 'MD5SUMS',
  sha256sums: (): string => 'SHA256SUMS',
  /** How to check the folder with stock tools, in Kazakh, Russian and English. */
  verifyGuide: (): string => 'VERIFY.txt',
  /** An earlier revision of the manifest, kept when a later one is written. */
  manifestRevision: (base: string, revision: number): string => `${base}_manifest.r${revision}.json`,
};

/** The live mix's pieces in a sitting's working folder: one pair per take, written by the recorder, joined by finalize. */
export function liveMixNames(take: number): { m4a: string; mp3: string } {
  const t = String(take).padStart(2, '0');
  return { m4a: `mix.t${t}.m4a`, mp3: `mix.t${t}.mp3` };
}
