import { AbkError, appError } from './result.js';
import { almatyParts } from './timeline.js';

/**
 * File-system-safe names. Case numbers are opaque strings typed by people:
 * they may hold `/`, `\`, `:`, `..`, Kazakh letters, or be very long.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_SLUG_CHARS = 64;

export function caseSlug(caseNumber: string): string {
  const trimmed = caseNumber.normalize('NFC').trim();
  if (trimmed === '') {
    throw new AbkError(appError('case-number-empty', 'The case number is empty: enter the case number before recording.',
      'Номер дела не указан: введите номер дела перед началом записи.', 'Іс нөмірі бос: жазуды бастамас бұрын іс нөмірін енгізіңіз.'));
  }
  let slug = trimmed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[/\\:*?"<>|]+/g, '-')
    .replace(/\s+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-. ]+$/g, '');
  if (slug === '') slug = 'case';
  if (WINDOWS_RESERVED.test(slug)) slug = `${slug}_`;
  return [...slug].slice(0, MAX_SLUG_CHARS).join('').replace(/[-. ]+$/g, '');
}

/** `<case-slug>_<YYYY-MM-DD>_<HH-mm>` in Asia/Almaty time. */
export function sittingBase(caseNumber: string, startMs: number): string {
  const p = almatyParts(startMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${caseSlug(caseNumber)}_${p.year}-${two(p.month)}-${two(p.day)}_${two(p.hour)}-${two(p.minute)}`;
}

/** `base`, or `base_2`, `base_3`, … — the first that is not taken (two sittings of a case in one minute). */
export function uniqueName(base: string, taken: (name: string) => boolean): string {
  let candidate = base;
  for (let n = 2; taken(candidate); n++) candidate = `${base}_${n}`;
  return candidate;
}
