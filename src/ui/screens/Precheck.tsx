import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo, PrecheckStatus, SittingDetail } from '../../shared/api/contract.js';
import { call } from '../api-client.js';
import { useErrorText } from '../components/common.js';
import { Meters } from '../components/Meters.js';
import { engine } from '../store.js';

/**
 * Before the sitting: every microphone's live level under its seat's name,
 * the camera's picture, the disk as hours of recording left, and whether each
 * regional server answers. Problems are listed in plain words.
 */
export function Precheck({ info, sitting, onStarted }: { info: EngineInfo; sitting: SittingDetail | undefined; onStarted: (s: SittingDetail) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [status, setStatus] = useState<PrecheckStatus | undefined>();
  const [silent, setSilent] = useState<string[]>([]);
  const [tick, setTick] = useState(0);
  const [message, setMessage] = useState('');

  useEffect(() => {
    let alive = true;
    const recording = info.active !== undefined;
    void (recording ? call('precheck/status', {}) : call('precheck/start', {})).then((s) => alive && setStatus(s), (e: unknown) => setMessage(errorText(e)));
    const timer = window.setInterval(() => {
      setTick((n) => n + 1);
      void call('precheck/status', {}).then((s) => alive && setStatus(s), () => undefined);
      const now = performance.now();
      setSilent(info.seats.filter((s) => { const l = engine.levels.get(s.stem); return !l || now - l.at > 1500; }).map((s) => s.stem));
    }, 2000);
    return () => {
      alive = false;
      window.clearInterval(timer);
      if (!recording) void call('precheck/stop', {}).catch(() => undefined);
    };
  }, [info.active, info.seats]);

  const markUnused = async (stem: string, unused: boolean): Promise<void> => {
    const now = (status?.microphones ?? []).filter((m) => m.result === 'unused').map((m) => m.stem).filter((x) => x !== stem);
    try {
      setStatus(await call('precheck/unused', { stems: unused ? [...now, stem] : now }));
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const start = async (): Promise<void> => {
    if (!sitting) return;
    try {
      onStarted(await call('recording/start', { id: sitting.id }));
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const problems: string[] = [];
  if (status?.disk.level === 'full') problems.push(t('precheck.diskFull'));
  else if (status?.disk.level === 'low') problems.push(t('precheck.diskLow'));
  status?.cameras.filter((c) => !c.ok).forEach((c) => problems.push(`${t('precheck.camera')} ${c.label ?? c.id}: ${t('precheck.cameraDown')}`));
  status?.servers.filter((s) => !s.reachable).forEach((s) => problems.push(`${s.id} (${s.host}): ${t('precheck.unreachable')} — ${s.detail}`));
  const unusedStems = new Set((status?.microphones ?? []).filter((m) => m.result === 'unused').map((m) => m.stem));
  silent.filter((stem) => !unusedStems.has(stem)).forEach((stem) => problems.push(`${stem}: ${t('precheck.silent')}`));

  return (
    <div className="screen precheck">
      <h2>{t('precheck.title')}</h2>
      <div className="columns">
        <section>
          <h3>{t('precheck.microphones')}</h3>
          <Meters seats={info.seats} big />
          <p className="hint">{t('precheck.unusedHint')}</p>
          <ul className="mic-verdicts" data-testid="mic-verdicts">
            {info.seats.map((s) => {
              const verdict = status?.microphones?.find((m) => m.stem === s.stem)?.result ?? 'fail';
              return (
                <li key={s.stem} data-stem={s.stem} data-result={verdict} className={verdict === 'pass' ? 'ok' : verdict === 'unused' ? 'unused' : 'bad'}>
                  <label>
                    <input type="checkbox" name={`unused-${s.stem}`} checked={verdict === 'unused'} onChange={(e) => void markUnused(s.stem, e.target.checked)} />
                    {s.label ?? s.stem}: {t(`precheck.${verdict}`)}
                  </label>
                </li>
              );
            })}
          </ul>
        </section>
        <section>
          <h3>{t('precheck.camera')}</h3>
          {info.cameras.length === 0 ? <p>{t('precheck.noCamera')}</p> : info.cameras.map((c) => (
            <figure key={c.id}>
              <img className="preview" alt={c.label ?? c.id} data-testid={`preview-${c.id}`} src={`/media/camera/${c.id}.jpg?t=${tick}`} onError={(e) => { (e.target as HTMLImageElement).style.visibility = 'hidden'; }} onLoad={(e) => { (e.target as HTMLImageElement).style.visibility = 'visible'; }} />
              <figcaption>{c.label ?? c.id}</figcaption>
            </figure>
          ))}
          <h3>{t('precheck.disk')}</h3>
          {status && <p data-testid="disk" className={status.disk.level}>{t('precheck.hoursLeft', { hours: status.disk.hoursLeft, free: (status.disk.freeBytes / 1e9).toFixed(1) })}</p>}
          <h3>{t('precheck.servers')}</h3>
          {status && status.servers.length === 0 && <p>{t('precheck.noServers')}</p>}
          <ul>{status?.servers.map((s) => <li key={s.id} className={s.reachable ? 'ok' : 'bad'}>{s.id} — {s.host}:{s.port}: {s.reachable ? t('precheck.reachable') : t('precheck.unreachable')}</li>)}</ul>
        </section>
      </div>
      <section className={problems.length ? 'problems bad' : 'problems ok'} data-testid="precheck-problems">
        <h3>{problems.length ? t('precheck.problems') : t('precheck.allGood')}</h3>
        <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
      </section>
      <div className="actions">
        {sitting ? <span>{t('precheck.for')}: <strong>{sitting.base}</strong></span> : <span>{t('precheck.noSitting')}</span>}
        <button className="primary big" name="start-recording" disabled={!sitting || !sitting.canRecord || info.active !== undefined || status?.disk.level === 'full'} onClick={() => void start()}>{sitting?.continues ? t('precheck.continue') : t('precheck.start')}</button>
        {sitting && !sitting.canRecord && <span className="bad">{t('precheck.finished')}</span>}
        <span className="message">{message}</span>
      </div>
    </div>
  );
}
