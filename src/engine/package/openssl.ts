import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The openssl program run with an argument array (never a shell). */
export const runOpenssl = promisify(execFile);

/** One scratch folder per openssl conversation, removed on every path: nothing is ever written beside a package (it may be a disc). */
export async function inScratch<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What openssl said when it refused: its first two lines of stderr, for a report. */
export const opensslError = (e: unknown): string => ((e as { stderr?: string }).stderr ?? (e as Error).message ?? String(e))
  .trim().split('\n').filter(Boolean).slice(0, 2).join(' / ') || 'openssl refused it';
