import type { z } from 'zod';

/** Every problem of a failed validation, each with the path of its field: `audio.bitDepth: …`. */
export const formatIssues = (error: z.ZodError, separator = '\n'): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join(separator);
