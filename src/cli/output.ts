import { AbkError, type AppError } from '../shared/result.js';

export type Lang = 'en' | 'ru' | 'kk';
export const lang = (): Lang => {
  const l = process.env.ABK_LANG;
  return l === 'ru' || l === 'kk' ? l : 'en';
};

export const say = (e: AppError): string => e.message[lang()] + (e.detail ? `\n  ${e.detail.split('\n').join('\n  ')}` : '');

/** Print an error for a person and exit with a code that scripts can test. */
export function fail(e: unknown, code = 1): never {
  if (e instanceof AbkError) process.stderr.write(`abk: ${say(e.appError)}\n`);
  else process.stderr.write(`abk: ${(e as Error).message ?? String(e)}\n`);
  process.exit(code);
}

export function bar(db: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(((db + 60) / 60) * width)));
  return '█'.repeat(filled) + '·'.repeat(width - filled);
}
