import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';
import type { InterruptionCause, SittingState } from '../../shared/sitting.js';
import { toAppError } from '../../shared/result.js';
import { finalDirOf, readSummary } from '../finalize/finalize.js';
import { fileNames } from '../../shared/naming.js';
import { mediaFrames } from '../finalize/media-timeline.js';
import { recoverSummary } from '../finalize/recover-summary.js';
import { stopLeftovers } from '../recorder/leftovers.js';
import type { SittingSummary } from '../recorder/recorder-types.js';
import type { SittingRow, SittingStore } from './sitting-store.js';

/** A sitting an engine left unfinished, now marked interrupted, with what was recorded of it. */
export interface Interrupted {
  row: SittingRow;
  /** What it was doing when the engine stopped. */
  was: SittingState;
  /** Stop had been pressed: it is finished, never recorded again by itself. */
  stopping: boolean;
  cause: InterruptionCause;
  /** The last moment anything of it was written to disk. */
  lastWrittenWallMs: number;
  /** Length of its timeline up to the interruption. */
  recordedMs: number;
  summary: SittingSummary;
  /** The dead engine's cameras, being stopped (they go on recording until then): a continued sitting's cameras start after it. */
  camerasStopped: Promise<number[]>;
}

/** Where a sitting records (kept in its row from the start; the default place for one that never started). */
export const workDirOf = (root: string, row: Pick<SittingRow, 'dir' | 'base'>): string => row.dir ?? join(root, '.work', row.base);

/**
 * A finalized sitting's folder, with its manifest in it: kept in its row (a
 * root moved to another disk is followed: the folder is looked for below it
 * too); for one finalized before rows kept it, found from its working folder.
 */
export function finishedDirOf(root: string, row: SittingRow): string | undefined {
  if (row.state !== 'finalized') return undefined;
  const manifest = fileNames.manifest(row.base);
  const known = row.finalDir ?? (row.dir && existsSync(join(row.dir, 'sitting.json')) ? finalDirOf(root, readSummary(row.dir)) : undefined);
  if (!known) return undefined;
  return [known, join(root, ...known.split(/[\\/]/).slice(-3))].find((d) => existsSync(join(d, manifest)));
}

/**
 * What a sitting's working folder says was recorded: the summary Stop wrote,
 * or one rebuilt from the segments and the events log when there is none or
 * it is damaged (said on the engine's log: the recording is still whole).
 */
export async function summaryOf(dir: string): Promise<SittingSummary> {
  if (!existsSync(join(dir, 'sitting.json'))) return recoverSummary(dir);
  try {
    return readSummary(dir);
  } catch (e) {
    process.stderr.write(`recovery: ${toAppError(e, 'summary-damaged').message.en}\n`);
    return recoverSummary(dir);
  }
}

/** The newest modification time of the microphones' files: WAV headers are rewritten every second, so this is when recording stopped (a camera left running may still write). */
function lastWritten(dir: string, fallback: number): number {
  let last = 0;
  for (const f of readdirSync(dir)) {
    if (/\.(wav|jsonl)$/.test(f)) last = Math.max(last, statSync(join(dir, f)).mtimeMs);
  }
  return last > 0 ? Math.round(last) : fallback;
}

/** The PC started after the last write: the power went (or the PC was restarted), not only the program. */
function causeOf(lastWrittenWallMs: number, now: number): InterruptionCause {
  const bootWallMs = now - uptime() * 1000;
  return bootWallMs > lastWrittenWallMs ? 'power-lost' : 'program-stopped';
}

/**
 * Finds every sitting that an engine left recording, paused or finalizing
 * (it was killed, or the power went), stops whatever of it still runs, and
 * marks it interrupted with the cause and the moment, in one transaction with
 * its audit event. Nothing is deleted or rewritten here: the caller finalizes
 * it from its segments, or continues it in a new take.
 */
export async function interruptUnfinished(store: SittingStore, root: string, now = Date.now()): Promise<Interrupted[]> {
  const found: Interrupted[] = [];
  for (const row of store.unfinished()) {
    const dir = workDirOf(root, row);
    const t0 = performance.now();
    // the microphones first: their files are read now; the cameras' ffmpeg finish their files meanwhile
    const camerasStopped = stopLeftovers(dir, 'video');
    const stopped = await stopLeftovers(dir, 'audio');
    const t1 = performance.now();
    const summary = await summaryOf(dir);
    process.stderr.write(`recovery: ${row.base} was ${row.state}; ${stopped.length} capture process(es) stopped in ${Math.round(t1 - t0)} ms, its recording read in ${Math.round(performance.now() - t1)} ms\n`);
    const lastWrittenWallMs = lastWritten(dir, summary.stoppedWallMs);
    const cause = causeOf(lastWrittenWallMs, now);
    const recordedMs = Math.round((mediaFrames(summary) * 1000) / summary.sampleRate);
    const stopping = store.stopRequested(row.id);
    const marked = store.transition(row.id, 'interrupted', { cause, lastWrittenWallMs, recordedMs, was: row.state, ...(stopping ? { stopping } : {}) });
    found.push({ row: marked, was: row.state, stopping, cause, lastWrittenWallMs, recordedMs, summary, camerasStopped });
  }
  return found;
}

/** The pre-session check records throw-away audio under `.work/precheck-*`; an engine that died during it left one behind. */
export async function removePrecheckLeftovers(root: string): Promise<void> {
  const work = join(root, '.work');
  if (!existsSync(work)) return;
  for (const f of readdirSync(work).filter((n) => n.startsWith('precheck-'))) {
    await stopLeftovers(join(work, f));
    rmSync(join(work, f), { recursive: true, force: true });
  }
}
