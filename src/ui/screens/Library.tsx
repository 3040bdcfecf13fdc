import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IntegrityView, SittingDetail, SittingListItem } from '../../shared/api/contract.js';
import { call } from '../api-client.js';
import { fmtClock, fmtWall, useErrorText } from '../components/common.js';
import { useEngine } from '../store.js';
import { WritePanel } from './WritePanel.js';

/** The integrity badge: the check under way (live from the engine's progress), else the last check's result. */
function Integrity({ view, live }: { view: IntegrityView | undefined; live: { stage: string; fraction: number } | undefined }): React.JSX.Element {
  const { t } = useTranslation();
  const pct = (f: number): string => String(Math.floor(f * 100));
  if (live && live.stage === 'read') return <span className="integrity checking">{t('library.checking', { pct: pct(live.fraction) })}</span>;
  if (!view) return <span className="integrity none">{t('library.unchecked')}</span>;
  if (view.state === 'checking') return <span className="integrity checking">{t('library.checking', { pct: pct(view.fraction) })}</span>;
  const when = t(view.by === 'read-back' ? 'library.byReadBack' : 'library.byVerify', { at: fmtWall(view.atMs) });
  return <span className={`integrity ${view.state}`} title={when}>{t(`library.${view.state}`)}</span>;
}

/** Verify for one finished sitting: the button (with the check's progress while it runs), the badge, and what differs when it is changed. */
function VerifyPanel({ sitting, live, onVerify }: { sitting: SittingDetail; live: { stage: string; fraction: number } | undefined; onVerify: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const integrity = sitting.integrity;
  const running = live?.stage === 'read' || integrity?.state === 'checking';
  const fraction = live?.fraction ?? (integrity?.state === 'checking' ? integrity.fraction : 0);
  return (
    <div className="verify" data-testid="verify">
      <button name="verify" disabled={running} onClick={onVerify}>
        {running ? t('library.verifying', { pct: String(Math.floor(fraction * 100)) }) : t('library.verify')}
      </button>
      {running && <progress max={1} value={fraction} />}
      {!running && <Integrity view={integrity} live={undefined} />}
      {!running && integrity?.state === 'changed' && (
        <><h4>{t('library.findings')}</h4><ul className="findings">{integrity.findings.map((f) => (
          <li key={`${f.subject} ${f.what}`}>{f.subject}: {t(`library.integrityWhat.${f.what}`, { defaultValue: f.what })}{f.detail ? ` (${f.detail})` : ''}</li>
        ))}</ul></>
      )}
    </div>
  );
}

/** Sittings found by case number, name, courtroom and date, with their state and their copies on the regional servers. */
export function Library({ onPlay, onContinue }: { onPlay: (id: number) => void; onContinue: (s: SittingDetail) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const state = useEngine();
  const [text, setText] = useState('');
  const [fromDate, setFrom] = useState('');
  const [toDate, setTo] = useState('');
  const [courtroom, setCourtroom] = useState('');
  const [rows, setRows] = useState<SittingListItem[]>([]);
  const [open, setOpen] = useState<SittingDetail | undefined>();
  const [message, setMessage] = useState('');
  const [writing, setWriting] = useState(false);

  const verifyLive = (id: number): { stage: string; fraction: number } | undefined => {
    const p = state.progress.get(id);
    return p?.task === 'verify' ? p : undefined;
  };
  // a check that ends brings the list and the open sitting up to date
  const verifyEnded = [...state.progress.values()].filter((p) => p.task === 'verify' && p.stage !== 'read').length;
  useEffect(() => {
    if (open) void call('sittings/get', { id: open.id }).then(setOpen, (e: unknown) => setMessage(errorText(e)));
  }, [verifyEnded, state.exported]); // only when a check or a copy ends

  const verify = (id: number): void => {
    setMessage('');
    void call('sittings/verify', { id }).then((v) => setOpen((o) => (o && o.id === id ? { ...o, integrity: v } : o)), (e: unknown) => setMessage(errorText(e)));
  };

  useEffect(() => {
    const q = { ...(text ? { text } : {}), ...(fromDate ? { fromDate } : {}), ...(toDate ? { toDate } : {}), ...(courtroom ? { courtroom } : {}) };
    const timer = window.setTimeout(() => void call('sittings/list', q).then(setRows, (e: unknown) => setMessage(errorText(e))), 150);
    return () => window.clearTimeout(timer);
  }, [text, fromDate, toDate, courtroom, state.states.size, state.finalized.size, verifyEnded]);

  return (
    <div className="screen library">
      <h2>{t('library.title')}</h2>
      <div className="filters">
        <input name="search" placeholder={t('library.search')} value={text} onChange={(e) => setText(e.target.value)} />
        <label>{t('library.from')} <input type="date" value={fromDate} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('library.to')} <input type="date" value={toDate} onChange={(e) => setTo(e.target.value)} /></label>
        <input placeholder={t('library.courtroom')} value={courtroom} onChange={(e) => setCourtroom(e.target.value)} />
      </div>
      <table className="list" data-testid="library">
        <thead><tr><th>{t('library.date')}</th><th>{t('library.case')}</th><th>{t('library.courtroom')}</th><th>{t('library.judge')}</th><th>{t('library.state')}</th><th>{t('library.integrity')}</th><th>{t('library.copies')}</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-sitting={r.id} onClick={() => { setWriting(false); void call('sittings/get', { id: r.id }).then(setOpen); }} className={open?.id === r.id ? 'selected' : ''}>
              <td>{fmtWall(r.startedMs ?? r.createdMs)}</td><td>{r.caseNumber}</td><td>{r.courtroom}</td><td>{r.judge}</td>
              <td className={`state ${r.state}`}>{t(`states.${r.state}`)}</td>
              <td data-integrity={r.id}><Integrity view={r.integrity} live={verifyLive(r.id)} /></td>
              <td>{(state.replicas.get(r.base) ?? r.replicas).map((c) => `${c.server} ${c.verified}/${c.total}`).join(', ') || t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>{t('library.empty')}</p>}
      {open && (
        <section className="detail">
          <h3>{open.base}</h3>
          {open.state === 'finalized' && <button className="primary" name="play" onClick={() => onPlay(open.id)}>▶ {t('library.play')}</button>}
          {open.continues && <button name="continue" onClick={() => onContinue(open)}>● {t('library.continue')}</button>}
          {open.state === 'finalized' && <VerifyPanel sitting={open} live={verifyLive(open.id)} onVerify={() => verify(open.id)} />}
          {open.state === 'finalized' && !writing && <button name="write" onClick={() => setWriting(true)}>{t('write.button')}</button>}
          {writing && <WritePanel sitting={open} rows={rows} onClose={() => setWriting(false)} />}
          {open.issued.length > 0 && <><h4>{t('write.issued')}</h4><ul className="issued" data-testid="issued">{open.issued.map((c) => (
            <li key={`${c.atMs} ${c.where}`}>{fmtWall(c.atMs)} · {c.by} · {c.medium} · <code>{c.where}</code>{c.sittings.length > 1 ? ` · ${c.sittings.join(', ')}` : ''}</li>
          ))}</ul></>}
          <h4>{t('library.files')}</h4>
          <table className="files"><tbody>{open.files.map((f) => <tr key={f.name}><td>{f.name}</td><td>{(f.bytes / 1048576).toFixed(1)} MiB</td><td><code>{f.md5}</code></td></tr>)}</tbody></table>
          <ol>{open.marks.map((m) => <li key={m.id}>{fmtClock(m.timelineMs)} {t(`marks.${m.kind}`)} {m.participant ?? ''} {m.text ?? ''}</li>)}</ol>
        </section>
      )}
      <p className="message">{message}</p>
    </div>
  );
}
