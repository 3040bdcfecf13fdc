/** The languages of what a person reads: Kazakh, Russian, English. */
export type Lang = 'en' | 'ru' | 'kk';

/** Results are values: callers handle both branches instead of catching. */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/**
 * An error a person can act on: a stable code for programs, and a message in
 * the secretary's languages that says what is wrong and what to do.
 */
export interface AppError {
  code: string;
  message: Record<Lang, string>;
  detail?: string;
}

export class AbkError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message.en + (appError.detail ? ` (${appError.detail})` : ''));
    this.name = 'AbkError';
  }
}

/** Any thrown value as an AppError: ours as it is, anything else under `code` with its message. */
export function toAppError(e: unknown, code: string): AppError {
  if (e instanceof AbkError) return e.appError;
  const text = e instanceof Error ? e.message : String(e);
  return { code, message: { en: text, ru: text, kk: text } };
}

export function appError(code: string, en: string, ru: string, kk: string, detail?: string): AppError {
  return detail === undefined ? { code, message: { en, ru, kk } } : { code, message: { en, ru, kk }, detail };
}
