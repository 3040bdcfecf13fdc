import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hashWav } from '../../capture/audio/hash-file.js';
import { wavLayout } from '../../capture/audio/wav-header.js';
import { CHAIN_GENESIS, chainNext, markDigest, type ChainEntry } from '../db/chain.js';
import type { Mark } from '../sittings/sitting-store.js';

export type ChainStatus = 'missing' | 'truncated' | 'changed' | 'broken' | 'unchained';
export interface ChainFinding { kind: ChainEntry['kind']; name: string; status: ChainStatus; detail: string }
export interface ChainCheck { ok: boolean; entries: number; head: string | null; findings: ChainFinding[] }

/**
 * A sitting's chain checked against what it covers (db/chain.ts): each entry
 * follows the one before; every segment it names is in the working folder
 * with its size, as long as every chunk of it chained while it was written
 * (and, with `data`, their SHA-256s and the segment's: a whole read);
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
  if (workDir) findings.push(...await fileFindings(entries, workDir, o.data));
  for (const e of entries) {
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

/** The entries of each segment file (its chunks, then the segment when it closed), checked against the file. */
async function fileFindings(entries: ChainEntry[], workDir: string, data: boolean): Promise<ChainFinding[]> {
  const byFile = new Map<string, ChainEntry[]>();
  for (const e of entries) if (e.kind !== 'mark') byFile.set(e.name, [...(byFile.get(e.name) ?? []), e]);
  const findings: ChainFinding[] = [];
  for (const [name, es] of byFile) findings.push(...await fileFinding(name, es, workDir, data));
  return findings;
}

async function fileFinding(name: string, es: ChainEntry[], workDir: string, data: boolean): Promise<ChainFinding[]> {
  const path = join(workDir, name);
  const found = (kind: ChainEntry['kind'], status: ChainStatus, detail: string): ChainFinding[] => [{ kind, name, status, detail }];
  if (!existsSync(path)) return found('segment', 'missing', 'recorded, then removed from the working folder');
  const bytes = statSync(path).size;
  const seg = es.find((e) => e.kind === 'segment');
  if (seg?.bytes !== undefined && bytes < seg.bytes) return found('segment', 'truncated', `${bytes} of the ${seg.bytes} bytes it had when it closed`);
  if (seg?.bytes !== undefined && bytes !== seg.bytes) return found('segment', 'changed', `${bytes} bytes, ${seg.bytes} when it closed`);
  // a file that is no longer a WAV is told by the full read below (hashWav names what is wrong)
  const head = (() => { try { return wavLayout(path); } catch { return { dataOffset: 0, byteRate: 0 }; } })();
  const chunks = es.filter((e) => e.kind === 'chunk');
  const cut = chunks.find((c) => head.dataOffset + c.offset! + c.bytes! > bytes);
  if (cut) return found('chunk', 'truncated', `it ends inside ${stretch(cut, head.byteRate)}, recorded while it was written`);
  if (!data) return [];
  const chunkBytes = seg?.chunkBytes ?? chunks[0]?.bytes;
  // a file without its segment entry is still being written (or its capture died): its chunks are checked as far as they go
  const read = await hashWav(path, { chunkBytes: seg && !seg.chunkBytes ? undefined : chunkBytes, toEnd: !seg }).then((h) => h, (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
  if ('error' in read) return found('segment', 'changed', `it is no longer a WAV file: ${read.error}`);
  const changed = chunks.filter((c) => read.chunks[c.offset! / chunkBytes!] !== c.sha256);
  if (changed.length > 0 && changed.length === chunks.length) return found('chunk', 'changed', 'its audio data differs from what was recorded');
  if (changed.length > 0) return found('chunk', 'changed', `its audio data ${changed.map((c) => stretch(c, head.byteRate)).join(', ')} differs from what was recorded`);
  return seg && read.dataSha256 !== seg.sha256 ? found('segment', 'changed', 'its audio data differs from what was recorded') : [];
}

/** A chunk's stretch of the recording, in minutes and seconds from the file's start. */
function stretch(c: ChainEntry, byteRate: number): string {
  const at = (b: number): string => { const s = Math.floor(b / (byteRate || 1)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
  return `from ${at(c.offset!)} to ${at(c.offset! + c.bytes!)}`;
}
