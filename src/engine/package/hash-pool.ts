import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { hashFile } from '../../capture/audio/hash-file.js';
import { childEntry } from '../../capture/child-entry.js';

export interface HashRequest { id: number; path: string }
export type HashReply =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; md5: string; sha256: string; bytes: number }
  | { type: 'failed'; id: number; code: string; message: string };
export type Hashed = { ok: true; md5: string; sha256: string; bytes: number } | { ok: false; code: string; message: string };

/** Below this much to read, hashing here is quicker than starting processes. */
const IN_PROCESS_BYTES = 64 * 1024 * 1024;

/**
 * MD5 and SHA-256 of every file, each read once, the files spread over one
 * process per core (biggest first, so the last to finish is a small one).
 * A file that cannot be read is a result, not a failure: verify reports it.
 * `onRead` is told the bytes read as they are read (every 32 MiB in a process).
 */
export async function hashAll(files: { path: string; bytes: number }[], processes = availableParallelism(), onRead?: (bytes: number) => void): Promise<Hashed[]> {
  const results = new Array<Hashed>(files.length);
  const total = files.reduce((n, f) => n + f.bytes, 0);
  const one = (i: number): Promise<void> => hashFile(files[i]!.path, onRead).then(
    (h) => { results[i] = { ok: true, ...h }; },
    (e: NodeJS.ErrnoException) => { results[i] = { ok: false, code: e.code ?? 'EIO', message: e.message }; });
  if (total < IN_PROCESS_BYTES || processes <= 1 || files.length <= 1) {
    for (let i = 0; i < files.length; i += 1) await one(i);
    return results;
  }
  const order = files.map((_, i) => i).sort((a, b) => files[b]!.bytes - files[a]!.bytes);
  const { script, execArgv } = childEntry(import.meta.url, './hash-process');
  const children: ChildProcess[] = [];
  const worker = (): Promise<void> => new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    children.push(child);
    let current = -1;
    const give = (): void => {
      const i = order.shift();
      if (i === undefined) {
        current = -1;
        child.disconnect();
        resolve();
        return;
      }
      current = i;
      child.send({ id: i, path: files[i]!.path } satisfies HashRequest);
    };
    let told = 0; // of the current file, so a file's last stretch is told when it is done
    child.on('message', (m: HashReply) => {
      if (m.type === 'progress') { told += m.bytes; onRead?.(m.bytes); return; }
      if (m.type === 'done') onRead?.(m.bytes - told);
      told = 0;
      results[m.id] = m.type === 'done' ? { ok: true, md5: m.md5, sha256: m.sha256, bytes: m.bytes } : { ok: false, code: m.code, message: m.message };
      give();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (current >= 0) reject(new Error(`the hash process reading ${files[current]!.path} ended (code ${code}, signal ${signal})`));
    });
    child.once('spawn', give);
  });
  try {
    await Promise.all(Array.from({ length: Math.min(processes, files.length) }, worker));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
  }
  return results;
}
