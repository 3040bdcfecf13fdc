import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { descendants } from './kill-tree.js';

const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface Served { child: ChildProcess; url: string; token: string; stderr: () => string }

/** `abk serve` as the secretary's PC runs it (the supervisor and its engine child), on a configuration file. */
export async function startServe(configPath: string, env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--config', configPath], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => { err += b.toString(); });
  const address = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => { const line = b.toString().split('\n')[0]!; if (line.startsWith('http')) resolve(line); });
    child.on('exit', (c) => reject(new Error(`abk serve exited with ${c}: ${err}`)));
  });
  const [url, token] = address.split('#token=') as [string, string];
  return { child, url, token, stderr: () => err };
}

/** A call of the engine API as a program makes it; `undefined` while the engine is away. */
export async function api<T = unknown>(s: Served, route: string, body: unknown = {}): Promise<{ ok: boolean; value?: T; error?: { code: string; message: Record<string, string> } } | undefined> {
  try {
    const res = await fetch(`${s.url}api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` }, body: JSON.stringify(body) });
    return await res.json() as never;
  } catch {
    return undefined; // connection refused: the engine is restarting
  }
}

/** The engine child of an `abk serve` (the process `abk engine`). */
export function enginePid(s: Served): number | undefined {
  return descendants(s.child.pid!).find((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes('engine'); } catch { return false; }
  });
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
