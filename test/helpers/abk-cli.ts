import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestCourtroom } from './courtroom.js';

const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** The `abk` command run from source, as a user runs it: its exit code and both outputs. */
export function abk(args: string[], env: Record<string, string> = {}, input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A writable copy of a finished (read-only) sitting folder, as someone with the disk would have it. */
export function writableCopy(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  chmodSync(to, 0o755);
  for (const f of readdirSync(to)) chmodSync(join(to, f), 0o644);
  return to;
}

/** A sitting recorded on the virtual courtroom with `abk demo` and sealed: its folder, base and the demo's configuration. */
export function demoSitting(court: TestCourtroom, opts: { seconds?: number; channels?: number; caseNumber?: string } = {}): { sealed: string; base: string; configPath: string } {
  const out = join(court.dir, 'demo');
  const r = abk(['demo', '--seconds', String(opts.seconds ?? 4), '--channels', String(opts.channels ?? 2), '--out', out, '--case', opts.caseNumber ?? 'Іс-2/ә..ғ'],
    court.demoEnv('vc'));
  if (r.code !== 0) throw new Error(`abk demo failed (${r.code}): ${r.stderr}`);
  const sealed = r.stdout.trim().split('\n').at(-1)!;
  return { sealed, base: sealed.split('/').at(-1)!, configPath: join(out, 'demo-config.json') };
}
