import type { z } from 'zod';

/** Every problem of a failed validation, each with the path of its field: `audio.bitDepth: …` (`root` names the whole value). */
export const formatIssues = (error: z.ZodError, separator = '\n', root = '(root)'): string =>
  error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join(separator);

/** A JSON text read through `schema`: its value, or why not (the JSON error, or every field that is wrong, `root` naming the whole). */
export function parseJsonWith<T>(text: string, schema: z.ZodType<T>, root: string): { ok: true; value: T } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: formatIssues(r.error, '; ', root) };
}
