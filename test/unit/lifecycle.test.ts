import { describe, expect, it } from 'vitest';
import { Lifecycle, MOVES, PERSISTED, PHASES, TRANSIENT, type Phase } from '../../src/shared/lifecycle.js';
import { Owner } from '../../src/shared/owner.js';
import { AbkError } from '../../src/shared/result.js';
import { TRANSITIONS, type SittingState } from '../../src/shared/sitting.js';

/** What the database holds when the engine is in `p`, having entered it from `from` (a transient phase keeps that one's). */
const stored = (p: Phase, from: SittingState): SittingState => (PERSISTED[p] === 'unchanged' ? from : PERSISTED[p] as SittingState);
const allowed = (from: SittingState, to: SittingState): boolean => from === to || TRANSITIONS[from].includes(to);

describe('the lifecycle table', () => {
  it('every move it allows is one the database state machine allows (through transient phases too)', () => {
    const bad: string[] = [];
    for (const p of PHASES.filter((x) => !TRANSIENT.includes(x))) {
      const s = stored(p, 'ready');
      for (const q of MOVES[p]) {
        if (!TRANSIENT.includes(q)) {
          if (!allowed(s, stored(q, s))) bad.push(`${p}→${q}`);
          continue;
        }
        // a transient phase: its exits (and the way back) must be allowed from the state it was entered from
        // (a start in a break is written as recording, then paused: SittingSession.start)
        const ok = (r: Phase): boolean => allowed(s, stored(r, s)) || (q === 'starting' && r === 'paused' && allowed(s, 'recording') && allowed('recording', 'paused'));
        for (const r of [...MOVES[q], p]) if (!TRANSIENT.includes(r) && !ok(r)) bad.push(`${p}→${q}→${r}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has a way to finalized from every phase, so no sitting is stuck', () => {
    const reach = (from: Phase): Set<Phase> => {
      const seen = new Set<Phase>([from]);
      const todo = [from];
      while (todo.length > 0) for (const q of MOVES[todo.pop()!]) if (!seen.has(q)) { seen.add(q); todo.push(q); }
      return seen;
    };
    expect(PHASES.filter((p) => p !== 'draft' && !reach(p).has('finalized'))).toEqual([]);
  });
});

describe('Lifecycle', () => {
  it('refuses a move the table does not allow and changes nothing; an allowed one is made', () => {
    const life = new Lifecycle('ready');
    const seen: string[] = [];
    life.watch((to, from) => seen.push(`${from}→${to}`));
    expect(() => life.move('pausing')).toThrow(AbkError);
    expect(life.phase).toBe('ready');
    life.move('starting'); // positive control
    expect(() => life.move('starting')).toThrow(/starting cannot start recording/); // a second Start
    expect(life.phase).toBe('starting');
    life.move('recording');
    expect(seen).toEqual(['ready→starting', 'starting→recording']);
  });

  it('goes back from a transient phase to where it was entered from, and only from one', () => {
    const life = new Lifecycle('interrupted');
    life.move('starting');
    life.back();
    expect(life.phase).toBe('interrupted');
    expect(() => life.back()).toThrow(AbkError);
    const paused = new Lifecycle('paused');
    paused.move('resuming');
    paused.back();
    expect(paused.phase).toBe('paused');
  });

  it('names the refused move in the three languages', () => {
    const life = new Lifecycle('stopping');
    try {
      life.move('pausing');
      expect.unreachable();
    } catch (e) {
      const m = (e as AbkError).appError.message;
      expect(m.en).toContain('cannot pause');
      expect(m.ru).toContain('поставить на паузу');
      expect(m.kk).toContain('үзіліс жасау');
    }
  });
});

describe('Owner', () => {
  it('releases everything newest first, once, even when one release throws', async () => {
    const order: string[] = [];
    const owner = new Owner(() => order.push('late-error'));
    owner.own('log', () => order.push('log'));
    owner.own('capture', async () => { order.push('capture'); await Promise.reject(new Error('kill failed')); });
    owner.own('camera', () => order.push('camera'));
    const failed = await owner.release();
    expect(order).toEqual(['camera', 'capture', 'log']);
    expect(failed.map((f) => `${f.name}: ${f.error.message}`)).toEqual(['capture: kill failed']);
    expect(owner.holding).toEqual([]);
    expect(await owner.release()).toEqual([]);
    expect(order).toEqual(['camera', 'capture', 'log']);
  });

  it('releases at once what is taken after the release, telling a failure', async () => {
    const told: string[] = [];
    const owner = new Owner((name, e) => told.push(`${name}: ${e.message}`));
    await owner.release();
    let released = false;
    owner.own('timer', () => { released = true; });
    owner.own('socket', () => { throw new Error('already closed'); });
    await new Promise((r) => setTimeout(r, 10));
    expect(released).toBe(true);
    expect(told).toEqual(['socket: already closed']);
  });
});
