/**
 * Timeline math. The zero of a sitting's timeline is its first captured audio
 * sample; positions are counted in samples of the master device.
 */
export const ALMATY_TZ = 'Asia/Almaty';

export const samplesToMs = (samples: number, sampleRate: number): number => (samples * 1000) / sampleRate;
export const msToSamples = (ms: number, sampleRate: number): number => Math.round((ms * sampleRate) / 1000);

/** Samples since local midnight in Asia/Almaty (the BWF TimeReference of a file starting at `epochMs`). */
export function samplesSinceAlmatyMidnight(epochMs: number, sampleRate: number): number {
  const p = almatyParts(epochMs);
  const msOfDay = ((p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (epochMs % 1000);
  return Math.round((msOfDay * sampleRate) / 1000);
}

export interface LocalParts { year: number; month: number; day: number; hour: number; minute: number; second: number }

const almatyFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: ALMATY_TZ, hourCycle: 'h23',
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

export function almatyParts(epochMs: number): LocalParts {
  const parts = Object.fromEntries(almatyFormat.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year), month: Number(parts.month), day: Number(parts.day),
    hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second),
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-11-22` and `10:30:05` in Asia/Almaty. */
export function almatyDate(epochMs: number): string {
  const p = almatyParts(epochMs);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
export function almatyTime(epochMs: number, sep = ':'): string {
  const p = almatyParts(epochMs);
  return [p.hour, p.minute, p.second].map((n) => pad(n)).join(sep);
}

/** The UTC offset of Asia/Almaty at that instant, `+05:00` (it was `+06:00` before 2024-03-01). */
export function almatyOffset(epochMs: number): string {
  const p = almatyParts(epochMs);
  const localAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const minutes = Math.round((localAsUtc - Math.floor(epochMs / 1000) * 1000) / 60000);
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}
