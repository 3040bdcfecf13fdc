import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api-client.js';
import { useEngine } from '../store.js';
import { useErrorText } from './common.js';

/**
 * Alarms that cannot be missed: a red band over every screen, a short tone
 * when one arrives, and each stays until it recovers or is acknowledged.
 * A lost connection to the engine is an alarm too.
 */
export function AlarmBanner(): React.JSX.Element | null {
  const { t } = useTranslation();
  const state = useEngine();
  const text = useErrorText();
  const count = useRef(0);
  useEffect(() => {
    if (state.alarms.length > count.current) beep();
    count.current = state.alarms.length;
  }, [state.alarms.length]);
  if (state.alarms.length === 0 && state.connected) return null;
  return (
    <div className="alarms" role="alert" data-testid="alarms">
      {!state.connected && <div className="alarm">{t('app.offline')}</div>}
      {state.alarms.map((a) => (
        <div key={a.key} className="alarm">
          <strong>{t('alarm.title')}:</strong> {text(a.error)}
          <button onClick={() => (a.source === 'ui' ? state.clearLocalAlarm(a.key) : void call('alarms/acknowledge', { key: a.key }))}>{t('common.acknowledge')}</button>
        </div>
      ))}
    </div>
  );
}

function beep(): void {
  try {
    const ctx = new AudioContext();
    const o = ctx.createOscillator();
    o.frequency.value = 880;
    o.connect(ctx.destination);
    o.start();
    o.stop(ctx.currentTime + 0.25);
    o.onended = () => void ctx.close();
  } catch {
    // no sound output: the red band is still there
  }
}
