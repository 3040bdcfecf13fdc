import { useEffect, useRef, useState } from 'react';
import type { MarkView, SittingDetail } from '../../shared/api/contract.js';
import { appError, type AppError } from '../../shared/result.js';
import type { MarkKind } from '../../shared/sitting.js';
import { ApiError, call } from '../api-client.js';
import { fmtWall } from '../components/common.js';
import { engine, useEngine } from '../store.js';

/** A mark shown the moment its key is pressed, before the engine has saved it. */
export interface PendingMark {
  ref: string;
  kind: MarkKind;
  seat?: string;
  participant?: string;
  text?: string;
  pressedWallMs: number;
  state: 'saving' | 'failed';
}

export interface MarkInput { kind: MarkKind; seat?: string; participant?: string; text?: string; pressedWallMs: number }

let counter = 0;
/** Unique within this window's life: the engine echoes it on the mark's event, so the answer and the event meet the same pending mark. */
const newRef = (): string => `m${Date.now().toString(36)}-${(counter++).toString(36)}`;

const alarmKey = (ref: string): string => `ui:mark:${ref}`;

/** The alarm of a mark not saved: its press time as the list shows it (the court's time), and why, in each language. */
function notSaved(m: PendingMark, reason: AppError | undefined, detail: string): AppError {
  const at = fmtWall(m.pressedWallMs).slice(-8);
  // no answer at all (the browser's own words, e.g. "Failed to fetch", stay in the detail)
  const why = reason?.message ?? { en: 'the engine did not answer', ru: 'движок не ответил', kk: 'қозғалтқыш жауап бермеді' };
  return appError('mark-not-saved',
    `The mark made at ${at} was NOT saved: ${why.en}. It is kept in the marks list in red: press "Retry" on it.`,
    `Отметка, сделанная в ${at}, НЕ сохранена: ${why.ru}. Она осталась в списке отметок красным: нажмите на ней «Повторить».`,
    `${at} кезінде қойылған белгі САҚТАЛМАДЫ: ${why.kk}. Ол белгілер тізімінде қызыл түспен тұр: ондағы «Қайталау» батырмасын басыңыз.`,
    ...(reason ? [] : [detail]));
}

/**
 * The console's marks: those the engine has saved, and those still being
 * saved. A key press shows its mark at once as "saving…" (drawn apart from a
 * saved one); the engine's answer, or its event if that comes first, turns it
 * into the saved mark. One that fails stays on screen as not saved, raises an
 * alarm, and can be sent again: a mark is never lost without the secretary seeing it.
 */
export function useMarks(sitting: SittingDetail | undefined): { saved: MarkView[]; pending: PendingMark[]; add: (m: MarkInput) => Promise<void>; retry: (ref: string) => Promise<void> } {
  const state = useEngine();
  const id = sitting?.id;
  const [saved, setSaved] = useState<MarkView[]>(sitting?.marks ?? []);
  const [pending, setPending] = useState<PendingMark[]>([]);
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  /** Refs whose event has come: saved, whatever their answer says (an answer lost after the engine saved it). */
  const confirmed = useRef(new Set<string>());

  useEffect(() => { setSaved(sitting?.marks ?? []); setPending([]); }, [id]);
  useEffect(() => {
    const events = state.marks.filter((m) => m.sittingId === id);
    setSaved((ms) => [...ms, ...events.map((e) => e.mark).filter((m) => !ms.some((x) => x.id === m.id))]);
    const refs = new Set(events.flatMap((e) => (e.ref ? [e.ref] : [])));
    for (const p of pendingRef.current) {
      if (!refs.has(p.ref)) continue;
      confirmed.current.add(p.ref);
      engine.clearLocalAlarm(alarmKey(p.ref));
    }
    if (pendingRef.current.some((p) => refs.has(p.ref))) setPending((ps) => ps.filter((p) => !refs.has(p.ref)));
  }, [state.marks, id]);

  const send = async (m: PendingMark): Promise<void> => {
    if (id === undefined) return;
    try {
      const { ref, kind, seat, participant, text, pressedWallMs } = m;
      const done = await call('marks/add', { sittingId: id, kind, pressedWallMs, ref, ...(seat ? { seat } : {}), ...(participant ? { participant } : {}), ...(text ? { text } : {}) } as never);
      setSaved((ms) => (ms.some((x) => x.id === done.id) ? ms : [...ms, done]));
      setPending((ps) => ps.filter((p) => p.ref !== ref));
      engine.clearLocalAlarm(alarmKey(ref));
    } catch (e) {
      if (confirmed.current.has(m.ref)) return; // its event came: the engine saved it, only the answer was lost
      setPending((ps) => ps.map((p) => (p.ref === m.ref ? { ...p, state: 'failed' } : p)));
      engine.raiseLocalAlarm(alarmKey(m.ref), 'marks', notSaved(m, e instanceof ApiError ? e.error : undefined, String((e as Error)?.message ?? e)));
    }
  };

  const add = async (input: MarkInput): Promise<void> => {
    const m: PendingMark = { ...input, ref: newRef(), state: 'saving' };
    setPending((ps) => [...ps, m]);
    await send(m);
  };

  const retry = async (ref: string): Promise<void> => {
    const m = pendingRef.current.find((p) => p.ref === ref);
    if (!m) return;
    setPending((ps) => ps.map((p) => (p.ref === ref ? { ...p, state: 'saving' } : p)));
    await send({ ...m, state: 'saving' });
  };

  return { saved, pending, add, retry };
}
