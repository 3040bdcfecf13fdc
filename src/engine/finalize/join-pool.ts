import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, setPriority } from 'node:os';
import type { WavTrackMeta } from '../../capture/audio/wav-header.js';
import { childEntry } from '../../capture/child-entry.js';
import type { WavPart } from './media-timeline.js';
import { joinWav, type JoinedFile } from './wav-join.js';

export interface JoinJob { workDir: string; parts: WavPart[]; meta: WavTrackMeta; target: string }
export type JoinRequest = JoinJob & { id: number };
export type JoinReply =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; id: number; result: JoinedFile }
  | { type: 'failed'; id: number; message: string };

/** Below this much to write, joining here is quicker than starting processes (and holds the thread well under a second). */
const IN_PROCESS_BYTES = 64 * 1024 * 1024;

/**
 * Every microphone's file, built by one join process per core (at most one per
 * job), each at a lower priority than recording. Results come back in the order
 * of `jobs`. A failure or a process that dies fails the whole join, naming the file.
 * A short sitting is joined here, at once.
 */
export async function joinAll(jobs: JoinJob[], onBytes: (bytes: number) => void, processes = availableParallelism()): Promise<JoinedFile[]> {
  if (jobs.length === 0) return [];
  const bytes = jobs.reduce((n, j) => n + j.parts.reduce((m, p) => m + (p.kind === 'file' ? p.bytes : 0), 0), 0);
  if (bytes < IN_PROCESS_BYTES) return jobs.map((j) => joinWav(j.workDir, j.parts, j.meta, j.target, onBytes));
  const results: JoinedFile[] = new Array<JoinedFile>(jobs.length);
  let next = 0;
  const { script, execArgv } = childEntry(import.meta.url, './join-process');
  const children: ChildProcess[] = [];
  const worker = (): Promise<void> => new Promise((resolve, reject) => {
    const child = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    children.push(child);
    try {
      if (child.pid !== undefined) setPriority(child.pid, 10);
    } catch {
      // not permitted: it runs at normal priority
    }
    let current = -1;
    const give = (): void => {
      if (next >= jobs.length) {
        current = -1;
        child.disconnect();
        resolve();
        return;
      }
      current = next++;
      child.send({ ...jobs[current]!, id: current } satisfies JoinRequest);
    };
    child.on('message', (m: JoinReply) => {
      if (m.type === 'progress') onBytes(m.bytes);
      else if (m.type === 'failed') reject(new Error(`could not make ${jobs[m.id]!.target}: ${m.message}`));
      else {
        results[m.id] = m.result;
        give();
      }
    });
    child.on('exit', (code, signal) => {
      if (current >= 0) reject(new Error(`the join process making ${jobs[current]!.target} ended (code ${code}, signal ${signal})`));
    });
    child.on('error', reject);
    give();
  });
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(processes, jobs.length)) }, worker));
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  return results;
}
