import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashWav } from '../../capture/audio/hash-file.js';
import { CHAIN_GENESIS, chainNext, markDigest, type ChainEntry } from '../db/chain.js';
import type { Mark } from '../sittings/sitting-store.js';

export type ChainStatus = 'missing' | 'truncated' | 'changed' | 'broken' | 'unchained';
export interface ChainFinding { kind: ChainEntry['kind']; name: string; status: ChainStatus; detail: string }
export interface ChainCheck { ok: boolean; entries: number; head: string | null; findings: ChainFinding[] }

/**
 * A sitting's chain checked against what it covers (db/chain.ts): each entry
 * follows the one before; every segment it names is in the working folder
 * with its size (and, with `data`, its audio data's SHA-256: a whole read);
 * every mark is as it was stored, and none was added past the chain.
 * Finalize runs the quick form (sizes only: Stop must not wait for a read of
 * the whole sitting), `abk verify` on a recordings root the full one.
 */
export async function checkChain(entries: ChainEntry[], workDir: string | undefined, marks: Mark[], o: { data: boolean }): Promise<ChainCheck> {
  const findings: ChainFinding[] = [];
  let prev = CHAIN_GENESIS;
  for (const [k, e] of entries.entries()) {
    if (e.i !== k + 1 || e.head !== chainNext(prev, e.i, e.sha256)) {
      findings.push({ kind: e.kind, name: e.name, status: 'broken', detail: `entry ${e.i} does not follow entry ${k} (an entry removed, reordered or edited in the audit log)` });
    }
    prev = e.head;
  }
  for (const e of entries) {
    if (e.kind === 'segment' && workDir) findings.push(...await segmentFinding(e, workDir, o.data));
    if (e.kind === 'mark') {
      const m = marks.find((x) => `mark ${x.id}` === e.name);
      if (!m) findings.push({ kind: 'mark', name: e.name, status: 'missing', detail: 'the mark is no longer in the database' });
      else if (markDigest(m) !== e.sha256) findings.push({ kind: 'mark', name: e.name, status: 'changed', detail: 'the mark differs from what was stored when it was made' });
    }
  }
  if (entries.length > 0) {
    for (const m of marks) {
      if (!entries.some((e) => e.name === `mark ${m.id}`)) findings.push({ kind: 'mark', name: `mark ${m.id}`, status: 'unchained', detail: 'a mark in the database that never entered the chain (added outside the program)' });
    }
  }
  return { ok: findings.length === 0, entries: entries.length, head: entries.at(-1)?.head ?? null, findings };
}

async function segmentFinding(e: ChainEntry, workDir: string, data: boolean): Promise<ChainFinding[]> {
  const path = join(workDir, e.name);
  if (!existsSync(path)) return [{ kind: 'segment', name: e.name, status: 'missing', detail: 'recorded, then removed from the working folder' }];
  const bytes = statSync(path).size;
  if (e.bytes !== undefined && bytes < e.bytes) return [{ kind: 'segment', name: e.name, status: 'truncated', detail: `${bytes} of the ${e.bytes} bytes it had when it closed` }];
  if (e.bytes !== undefined && bytes !== e.bytes) return [{ kind: 'segment', name: e.name, status: 'changed', detail: `${bytes} bytes, ${e.bytes} when it closed` }];
  if (!data) return [];
  const read = await hashWav(path).then((h) => ({ sha256: h.dataSha256 }), (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
  if ('error' in read) return [{ kind: 'segment', name: e.name, status: 'changed', detail: `it is no longer a WAV file: ${read.error}` }];
  return read.sha256 === e.sha256 ? [] : [{ kind: 'segment', name: e.name, status: 'changed', detail: 'its audio data differs from what was recorded' }];
}
