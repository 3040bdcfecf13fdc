import { AbkError, appError } from './result.js';
import type { SittingState } from './sitting.js';

/**
 * The recording lifecycle of one sitting, in one table: the states the
 * database keeps (SittingState) and the moments between them that only a
 * running engine lives through (starting, pausing, resuming, stopping). The
 * session, the recorder and every camera read the same phase; none keeps a
 * state of its own.
 *
 *   draft → ready → starting → recording ⇄ pausing/paused/resuming
 *                      ↓ (failed: back)        ↓
 *                   stopping → stopped → finalizing → finalized
 *   interrupted (the engine or the power went) → finalizing, or starting again (continue)
 */
export const PHASES = ['draft', 'ready', 'starting', 'recording', 'pausing', 'paused', 'resuming', 'stopping', 'stopped', 'finalizing', 'finalized', 'interrupted'] as const;
export type Phase = (typeof PHASES)[number];

export const MOVES: Record<Phase, readonly Phase[]> = {
  draft: ['ready'],
  ready: ['draft', 'starting'],
  // a start, pause or resume that fails goes back where it came from (Lifecycle.back), with nothing left running
  starting: ['recording', 'paused'],
  recording: ['pausing', 'stopping', 'interrupted'],
  pausing: ['paused', 'stopping', 'interrupted'],
  paused: ['resuming', 'stopping', 'interrupted'],
  resuming: ['recording', 'stopping', 'interrupted'],
  // a stop that fails leaves what was recorded on disk: the sitting is interrupted and finalized from its segments
  stopping: ['stopped', 'interrupted'],
  stopped: ['finalizing'],
  // a finalize that fails is tried again from the segments
  finalizing: ['finalized', 'stopped', 'interrupted'],
  // finalized again (nothing changes), or continued when it was interrupted before (SittingStore.assertCanRecord)
  finalized: ['finalizing', 'starting'],
  interrupted: ['finalizing', 'starting'],
};

/** The moments between two settled phases: the database does not see them, and a failure goes back from them. */
export const TRANSIENT: readonly Phase[] = ['starting', 'pausing', 'resuming', 'stopping'];

/** What the database holds in each phase; a transient phase keeps the state it came from. */
export const PERSISTED: Record<Phase, SittingState | 'unchanged'> = {
  draft: 'draft', ready: 'ready', starting: 'unchanged', recording: 'recording', pausing: 'unchanged', paused: 'paused',
  resuming: 'unchanged', stopping: 'unchanged', stopped: 'finalizing', finalizing: 'finalizing', finalized: 'finalized', interrupted: 'interrupted',
};

/** The phase a sitting read from the database is in (one `finalizing` there has its files closed and waits for a finalize). */
export const phaseOf = (s: SittingState): Phase => (s === 'finalizing' ? 'stopped' : s);

/** The devices are open: recording, or in a break, or moving between the two. */
export const isLive = (p: Phase): boolean => p === 'recording' || p === 'pausing' || p === 'paused' || p === 'resuming';
/** Sound and picture are being written (or about to be, while starting). */
export const isWriting = (p: Phase): boolean => p === 'starting' || p === 'recording' || p === 'resuming';
export const isBreak = (p: Phase): boolean => p === 'pausing' || p === 'paused';

const WHAT: Partial<Record<Phase, [string, string, string]>> = {
  starting: ['start recording', 'начать запись', 'жазуды бастау'],
  pausing: ['pause', 'поставить на паузу', 'үзіліс жасау'],
  resuming: ['resume', 'продолжить запись', 'жазуды жалғастыру'],
  stopping: ['stop', 'остановить запись', 'жазуды тоқтату'],
  finalizing: ['finalize', 'сформировать файлы', 'файлдарды қалыптастыру'],
};

export function refusedMove(from: Phase, to: Phase): AbkError {
  const [en, ru, kk] = WHAT[to] ?? [`go to "${to}"`, `перейти в «${to}»`, `«${to}» күйіне өту`];
  return new AbkError(appError('invalid-transition', `A sitting that is ${from} cannot ${en}.`,
    `Заседание в состоянии «${from}»: нельзя ${ru}.`, `«${from}» күйіндегі отырыс: ${kk} мүмкін емес.`));
}

/**
 * The phase of one sitting in this engine. Every move is checked against
 * the table before anything happens (a refused move throws and changes
 * nothing); a transient phase remembers where it came from, so a failure
 * can go back there.
 */
export class Lifecycle {
  private current: Phase;
  private before: Phase;
  private readonly watchers: ((to: Phase, from: Phase) => void)[] = [];

  constructor(initial: Phase = 'ready') {
    this.current = initial;
    this.before = initial;
  }

  get phase(): Phase {
    return this.current;
  }

  can(to: Phase): boolean {
    return MOVES[this.current].includes(to);
  }

  /** Refuses a move the table does not allow, with a message for the secretary; nothing has changed when it throws. */
  assert(to: Phase): void {
    if (!this.can(to)) throw refusedMove(this.current, to);
  }

  move(to: Phase): void {
    this.assert(to);
    this.go(to);
  }

  private go(to: Phase): void {
    const from = this.current;
    this.before = from;
    this.current = to;
    for (const w of this.watchers) w(to, from);
  }

  /** Back to where the transient phase was entered from (a start, pause or resume that failed). */
  back(): void {
    if (!TRANSIENT.includes(this.current)) throw refusedMove(this.current, this.before);
    this.go(this.before);
  }

  /** Called on every move (the recorder tells its listeners; the events log keeps them). */
  watch(w: (to: Phase, from: Phase) => void): void {
    this.watchers.push(w);
  }
}
