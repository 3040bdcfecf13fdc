import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo, HealthStatus } from '../../shared/api/contract.js';
import { call } from '../api-client.js';
import { useEngine } from '../store.js';
import { useSeatLabel } from './common.js';

const POLL_MS = 3000;

/**
 * What the secretary sees from across the room while recording: one large
 * "recording OK" (or "problems") sign, a light per microphone and camera
 * (red while an alarm of it stands) and per regional server, and the hours
 * of recording the disk still holds, the servers' backlog and the capture's own load.
 */
export function HealthBar({ info }: { info: EngineInfo }): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const state = useEngine();
  const [health, setHealth] = useState<HealthStatus | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let alive = true;
    const poll = (): void => {
      call('health/status', {}).then((h) => { if (alive) { setHealth(h); setFailed(false); } }, () => { if (alive) setFailed(true); });
    };
    poll();
    const timer = window.setInterval(poll, POLL_MS);
    return () => { alive = false; window.clearInterval(timer); };
  }, []);
  const troubled = (prefix: string): boolean => state.alarms.some((a) => a.key.startsWith(prefix));
  const ok = state.connected && !failed && state.alarms.length === 0;
  return (
    <section className="health" data-testid="health">
      <div className={ok ? 'recording-ok ok' : 'recording-ok bad'} data-testid="recording-ok" data-ok={ok}>
        {ok ? t('health.ok') : t('health.bad', { count: state.alarms.length })}
      </div>
      <ul className="lights">
        {info.seats.map((s) => (
          <li key={s.stem} data-testid={`light-${s.stem}`} className={troubled(`audio/${s.stem}/`) ? 'bad' : 'ok'}>{s.label ?? seatLabel(s.seat)}</li>
        ))}
        {info.cameras.map((c) => (
          <li key={c.id} data-testid={`light-${c.id}`} className={troubled(`camera/${c.id}/`) ? 'bad' : 'ok'}>{c.label ?? c.id}</li>
        ))}
        {health?.servers.map((s) => {
          const down = s.state === 'waiting' || s.state === 'blocked';
          return <li key={s.id} data-testid={`light-server-${s.id}`} className={down ? 'bad' : 'ok'}>{s.id}: {t(down ? 'precheck.unreachable' : 'precheck.reachable')}</li>;
        })}
      </ul>
      {health && (
        <p className="health-line">
          <span data-testid="disk-hours" className={health.disk.level}>{t('health.disk', { hours: health.disk.hoursLeft })}</span>
          {health.servers.length > 0 && <span data-testid="backlog"> · {t('health.backlog', { hours: health.backlogHours })}</span>}
          {health.captureCpuPercent !== undefined && <span> · {t('health.cpu', { pct: health.captureCpuPercent })}</span>}
        </p>
      )}
    </section>
  );
}
