import { AbkError, type AppError, type Lang } from '../shared/result.js';

export type { Lang } from '../shared/result.js';
export const lang = (): Lang => {
  const l = process.env.ABK_LANG;
  return l === 'ru' || l === 'kk' ? l : 'en';
};

export const say = (e: AppError): string => e.message[lang()] + (e.detail ? `\n  ${e.detail.split('\n').join('\n  ')}` : '');

/** An error's message for a person: in their language when it is one of ours. */
export const messageOf = (e: unknown): string => (e instanceof AbkError ? say(e.appError) : ((e as Error).message ?? String(e)));

/** Print an error for a person and exit with a code that scripts can test. */
export function fail(e: unknown, code = 1): never {
  process.stderr.write(`abk: ${messageOf(e)}\n`);
  process.exit(code);
}

export function bar(db: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round(((db + 60) / 60) * width)));
  return '█'.repeat(filled) + '·'.repeat(width - filled);
}
