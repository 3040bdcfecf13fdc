import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExportPlanView, MediumChoice, SittingDetail, SittingListItem } from '../../shared/api/contract.js';
import { call } from '../api-client.js';
import { fmtWall, ProgressBar, useErrorText } from '../components/common.js';
import { useEngine } from '../store.js';

const GB = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;
const FOUR_GIB = 4 * 1024 ** 3;

/**
 * "Write to disc / USB" (IT staff): the sittings of the open sitting's case
 * to put on one medium, their size against every disc's capacity and the
 * chosen stick's free space, then the copy with its progress and time left,
 * and what it ended with. The engine refuses it unless the settings are
 * unlocked with the IT password, and while a sitting is being recorded.
 */
export function WritePanel({ sitting, rows, onClose }: { sitting: SittingDetail; rows: SittingListItem[]; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const state = useEngine();
  const sameCase = rows.filter((r) => r.caseNumber === sitting.caseNumber && r.state === 'finalized');
  const [chosen, setChosen] = useState<number[]>([sitting.id]);
  const [targets, setTargets] = useState<MediumChoice[] | undefined>();
  const [target, setTarget] = useState(0);
  const [other, setOther] = useState('');
  const [plan, setPlan] = useState<ExportPlanView | undefined>();
  const [message, setMessage] = useState('');
  /** The last copy's end as it stood when this one started: a newer one is this copy's. */
  const [started, setStarted] = useState<{ before: typeof state.exported } | undefined>();
  const [listening, setListening] = useState(false);

  useEffect(() => { void call('export/targets', {}).then(setTargets, (e: unknown) => setMessage(errorText(e))); }, []);
  useEffect(() => { void call('export/plan', { ids: chosen }).then(setPlan, (e: unknown) => setMessage(errorText(e))); }, [chosen.join(',')]);

  const live = state.progress.get(chosen[0]!);
  const ended = started && state.exported !== started.before ? state.exported : undefined;
  const running = started !== undefined && !ended && live?.task === 'export';
  const choice = targets?.[target];
  const toOther = targets !== undefined && target === targets.length;
  const start = (): void => {
    const tgt = toOther ? { kind: 'folder' as const, path: other } : choice && { kind: choice.kind, path: choice.path };
    if (!tgt) return;
    setMessage('');
    const before = state.exported;
    void call('export/start', { ids: chosen, target: tgt, listening }).then(() => setStarted({ before }), (e: unknown) => setMessage(errorText(e)));
  };
  if (!targets) return <section className="write-panel" data-testid="write-panel"><h3>{t('write.title')}</h3><p className="bad">{message || t('common.loading')}</p><button name="close-write" onClick={onClose}>{t('write.close')}</button></section>;
  return (
    <section className="write-panel" data-testid="write-panel">
      <h3>{t('write.title')}</h3>
      <h4>{t('write.sittings')}</h4>
      <ul className="write-sittings">{sameCase.map((r) => (
        <li key={r.id}><label><input type="checkbox" name={`write-${r.id}`} checked={chosen.includes(r.id)} disabled={running}
          onChange={(e) => setChosen((c) => (e.target.checked ? [...c, r.id] : c.length > 1 ? c.filter((x) => x !== r.id) : c))} /> {r.base} · {fmtWall(r.startedMs ?? r.createdMs)}
          {plan?.sittings.find((s) => s.id === r.id) && ` · ${GB(plan.sittings.find((s) => s.id === r.id)!.bytes)}`}</label></li>
      ))}</ul>
      {plan && (
        <p data-testid="write-size">{t('write.size')}: <strong>{GB(plan.bytes)}</strong> ({plan.files} {t('write.files')}; {t('write.largest')} {GB(plan.largestBytes)}) —{' '}
          {plan.discs.map((d) => <span key={d.id} className={d.fits ? 'ok' : 'bad'}>{d.label} {d.fits ? '✓' : '✗'} </span>)}</p>
      )}
      <label>{t('write.target')} <select name="write-target" value={target} disabled={running} onChange={(e) => setTarget(Number(e.target.value))}>
        {targets.map((c, i) => <option key={c.path} value={i}>{c.label}{c.freeBytes !== undefined ? ` — ${GB(c.freeBytes)} ${t('write.free')}` : c.kind === 'disc' ? ` — ${t('write.insertDisc')}` : ''}</option>)}
        <option value={targets.length}>{t('write.otherFolder')}</option>
      </select></label>
      {toOther && <label>{t('write.folderPath')} <input name="write-folder" value={other} onChange={(e) => setOther(e.target.value)} /></label>}
      {choice?.fat && plan && plan.largestBytes >= FOUR_GIB && <p className="bad">{t('write.fat')}</p>}
      {plan && choice?.freeBytes !== undefined && !toOther && <p className={plan.bytes < choice.freeBytes ? 'ok' : 'bad'}>{plan.bytes < choice.freeBytes ? t('write.fits') : t('write.notFits')}</p>}
      <label><input type="checkbox" name="write-listening" checked={listening} disabled={running} onChange={(e) => setListening(e.target.checked)} /> {t('write.listening')}</label>
      <div className="actions">
        <button className="primary" name="write-start" disabled={running || (toOther && !other)} onClick={start}>{t('write.start')}</button>
        <button name="close-write" disabled={running} onClick={onClose}>{t('write.close')}</button>
      </div>
      {running && live && <ProgressBar fraction={live.fraction} label={`${t(`write.stages.${live.stage}`)}${live.secondsLeft !== undefined ? ` · ${t('write.left', { s: String(live.secondsLeft) })}` : ''}`} />}
      {ended?.ok && <p className="ok" data-testid="write-result" data-ok="true">✓ {t('write.done')}: <code>{ended.where}</code>{choice?.kind === 'folder' || toOther ? ` ${t('write.eject')}` : ''}</p>}
      {ended && !ended.ok && <p className="bad" data-testid="write-result" data-ok="false">✗ {t('write.failed')}: {ended.error ? errorText(ended.error) : ''}</p>}
      <p className="message">{message}</p>
    </section>
  );
}
