import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo, SittingDetail } from '../../shared/api/contract.js';
import type { MarkKind } from '../../shared/sitting.js';
import { call } from '../api-client.js';
import { fmtClock, ProgressBar, useErrorText, useSeatLabel } from '../components/common.js';
import { MarksList } from '../components/MarksList.js';
import { HealthBar } from '../components/HealthBar.js';
import { Meters } from '../components/Meters.js';
import { engine, useEngine } from '../store.js';
import { useMarks } from './use-marks.js';

/** The console's events as data: what each button marks, its key, and what it does to the recording. */
const ACTIONS: { id: string; kind: MarkKind; key: string; then?: 'pause' | 'resume'; ask?: boolean }[] = [
  { id: 'break', kind: 'break', key: 'F2', then: 'pause' },
  { id: 'breakEnd', kind: 'resume', key: 'F3', then: 'resume' },
  { id: 'deliberation', kind: 'deliberation', key: 'F4', then: 'pause' },
  { id: 'return', kind: 'return', key: 'F6', then: 'resume' },
  { id: 'decision', kind: 'decision', key: 'F7' },
  { id: 'evidence', kind: 'evidence', key: 'F8', ask: true },
];

/**
 * The recording console: Record/Pause/Stop, the elapsed time, meters per
 * seat, one key per seat to give the floor (shown on its button), the
 * sitting's events, notes, and the marks as they are made. A mark carries the
 * instant of the key press, so it lands where the words were said.
 */
export function Console({ info, sitting, onSitting, onPlay }: { info: EngineInfo; sitting: SittingDetail | undefined; onSitting: (s: SittingDetail) => void; onPlay: (id: number) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const errorText = useErrorText();
  const state = useEngine();
  const marks = useMarks(sitting);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState('');
  const clockRef = useRef<HTMLSpanElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const id = sitting?.id;
  const live = id !== undefined ? (state.states.get(id) ?? sitting!.state) : undefined;
  const recording = live === 'recording' || live === 'paused';


  useEffect(() => {
    let raf = 0;
    const tick = (): void => {
      const running = engine.states.get(id ?? -1) === 'recording' || (live === 'recording' && !engine.states.has(id ?? -1));
      const ms = engine.positionMs + (running ? Math.min(1000, performance.now() - engine.positionAt) : 0);
      if (clockRef.current) clockRef.current.textContent = fmtClock(ms);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [id, live]);

  const participantAt = (seat: string): string | undefined => sitting?.fields.participants.find((p) => (p.seat ?? p.role) === seat)?.name;

  /** Shown at once as "saving…", confirmed by the engine's answer; a failure stays on screen with an alarm (use-marks.ts). */
  const mark = async (kind: MarkKind, extra: { seat?: string; text?: string } = {}, pressedWallMs = Date.now()): Promise<void> => {
    if (id === undefined) return;
    const participant = extra.seat ? participantAt(extra.seat) : undefined;
    await marks.add({ kind, pressedWallMs, ...extra, ...(participant ? { participant } : {}) });
  };

  const control = async (what: 'pause' | 'resume' | 'stop'): Promise<void> => {
    if (id === undefined) return;
    if (what === 'stop' && !window.confirm(t('console.confirmStop'))) return;
    try {
      onSitting(await call(`recording/${what}`, { id }));
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const act = async (a: (typeof ACTIONS)[number], pressedWallMs = Date.now()): Promise<void> => {
    const text = a.ask ? window.prompt(t('console.evidencePrompt')) ?? undefined : undefined;
    if (a.then === 'resume' && live === 'paused') await control('resume');
    await mark(a.kind, text ? { text } : {}, pressedWallMs);
    if (a.then === 'pause' && live === 'recording') await control('pause');
  };

  useEffect(() => {
    if (!recording) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.ctrlKey || e.altKey || e.metaKey) return;
      // the press's instant on the wall clock, not when this handler runs
      const pressed = performance.timeOrigin + e.timeStamp;
      const seat = info.seats.find((s) => s.key === e.key.toLowerCase());
      const action = ACTIONS.find((a) => a.key === e.key);
      if (seat) { e.preventDefault(); void mark('floor', { seat: seat.seat }, pressed); }
      else if (action) { e.preventDefault(); void act(action, pressed); }
      else if (e.key === 'F9') { e.preventDefault(); noteRef.current?.focus(); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!sitting) return <div className="screen"><p>{t('console.noSitting')}</p></div>;
  const progress = state.progress.get(sitting.id);
  const finalized = state.finalized.get(sitting.id);
  return (
    <div className="screen console">
      <header className="console-head">
        <div>
          <div className="case">{sitting.caseNumber} · {sitting.courtroom}</div>
          <div className={`state ${live}`} data-testid="recording-state">{live === 'paused' ? t('console.paused') : live === 'recording' ? t('console.recording') : t(`states.${live}`)}</div>
        </div>
        <div className="clock">{t('console.elapsed')} <span ref={clockRef} data-testid="elapsed">00:00:00</span></div>
        <div className="transport">
          {live === 'paused' && <button className="big" name="resume" onClick={() => void control('resume')}>▶ {t('console.resume')}</button>}
          {live === 'recording' && <button className="big" name="pause" onClick={() => void control('pause')}>❚❚ {t('console.pause')}</button>}
          {recording && <button className="big stop" name="stop" onClick={() => void control('stop')}>■ {t('console.stop')}</button>}
        </div>
      </header>
      {recording && <HealthBar info={info} />}
      {recording && (
        <div className="columns">
          <section>
            <h3>{t('console.floor')}</h3>
            <div className="seat-buttons">
              {info.seats.map((s) => (
                <button key={s.stem} name={`floor-${s.stem}`} className="seat" onClick={() => void mark('floor', { seat: s.seat })}>
                  <kbd>{s.key.toUpperCase()}</kbd> {s.label ?? seatLabel(s.seat)}<small>{participantAt(s.seat) ?? ''}</small>
                </button>
              ))}
            </div>
            <Meters seats={info.seats} />
            <h3>{t('console.actions')}</h3>
            <div className="action-buttons">
              {ACTIONS.map((a) => <button key={a.id} name={`action-${a.id}`} onClick={() => void act(a)}><kbd>{a.key}</kbd> {t(`console.${a.id}`)}</button>)}
            </div>
            <form className="note" onSubmit={(e) => { e.preventDefault(); if (note.trim()) { void mark('note', { text: note.trim() }); setNote(''); } }}>
              <input ref={noteRef} name="note" value={note} placeholder={t('console.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
              <button type="submit"><kbd>F9</kbd> {t('console.note')}</button>
            </form>
          </section>
          <MarksList marks={marks.saved} pending={marks.pending} onRetry={(ref) => void marks.retry(ref)} />
        </div>
      )}
      {!recording && progress && !finalized && <ProgressBar fraction={progress.fraction} label={`${t('console.finalizing')}: ${progress.stage}`} />}
      {finalized?.ok && (
        <div className="done" data-testid="finalized">
          <p>{t('console.finalized')}</p>
          <button className="primary" name="open-player" onClick={() => onPlay(sitting.id)}>{t('console.play')}</button>
        </div>
      )}
      {finalized && !finalized.ok && <p className="bad">{t('console.finalizeFailed')}: {finalized.message ? errorText(finalized.message) : ''}</p>}
      {!recording && <MarksList marks={marks.saved} pending={marks.pending} onRetry={(ref) => void marks.retry(ref)} />}
      <p className="message">{message}</p>
    </div>
  );
}
