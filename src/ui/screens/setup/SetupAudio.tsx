import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupAudioInput } from '../../../shared/api/setup-contract.js';
import { SEAT_ROLE_IDS } from '../../../shared/seats.js';
import type { SetupAnswersInput } from '../../../shared/setup-answers.js';
import { call } from '../../api-client.js';
import { useErrorText, useSeatLabel } from '../../components/common.js';
import { useEngine } from '../../store.js';

type Device = SetupAnswersInput['audioDevices'][number];
/** A channel is "lit" above this peak: speech into its own microphone, not another's spill. */
const LIT_DB = -40;
const IDENTIFY_MS = 4000;

/** A device's answer with every channel listed, unused until given a seat. */
export const blankDevice = (d: SetupAudioInput): Device => ({
  name: d.name, hostApi: d.hostApi, channelCount: d.channels,
  channels: Array.from({ length: d.channels }, (_, i) => ({ channel: i + 1, seat: 'unused' as const })),
});

/**
 * Step 3: the courtroom's audio interfaces, one shown at a time (a tab for
 * each, one added from the inputs of this PC, or removed). An imported
 * interface this PC lacks keeps its tab, flagged, until one of this PC's
 * takes its place: nothing is dropped unseen.
 */
export function SetupAudio({ inputs, devices, onChange, epoch }: { inputs: SetupAudioInput[]; devices: Device[]; onChange: (d: Device[]) => void; epoch: number }): React.JSX.Element {
  const { t } = useTranslation();
  const [active, setActive] = useState(0);
  const at = Math.min(active, Math.max(0, devices.length - 1));
  const spare = inputs.find((i) => !devices.some((d) => d.name === i.name));
  const present = (d: Device): boolean => inputs.some((i) => i.name === d.name);
  return (
    <section className="setup-step" data-step="audio">
      <h3>{t('setup.audio')}</h3>
      <div className="row tabs">
        {devices.map((d, i) => (
          <button key={i} type="button" name={`device-tab-${i + 1}`} className={i === at ? 'active' : ''} data-present={present(d) ? 'yes' : 'no'} onClick={() => setActive(i)}>
            {t('setup.interface', { n: i + 1 })}: {d.name}{present(d) ? '' : ' ⚠'}
          </button>
        ))}
        {devices.length > 0 && <button type="button" name="add-device" disabled={!spare} onClick={() => { onChange([...devices, blankDevice(spare!)]); setActive(devices.length); }}>{t('setup.addDevice')}</button>}
        {devices.length > 1 && <button type="button" name="remove-device" onClick={() => { onChange(devices.filter((_, i) => i !== at)); setActive(Math.max(0, at - 1)); }}>{t('setup.removeDevice', { n: at + 1 })}</button>}
      </div>
      <AudioDevice key={at} inputs={inputs} device={devices[at]} epoch={epoch} onChange={(d) => onChange(devices.length === 0 ? [d] : devices.map((x, i) => (i === at ? d : x)))} />
    </section>
  );
}

/**
 * One interface and the seat in front of each channel, with each channel's
 * live meter (the engine records the whole input through the real capture
 * path), and "identify": speak into a microphone and the channels that heard
 * it light up.
 */
function AudioDevice({ inputs, device, onChange, epoch }: { inputs: SetupAudioInput[]; device: Device | undefined; onChange: (d: Device) => void; epoch: number }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const seatLabel = useSeatLabel();
  const engine = useEngine();
  const [message, setMessage] = useState('');
  const [lit, setLit] = useState<number[] | undefined>();
  const identifying = useRef<number[] | undefined>(undefined);
  const here = device ? inputs.find((i) => i.name === device.name) : undefined;

  // the meters run while this step shows an input of this PC, and stop when it is left; `epoch` starts them again after a test recording took the input
  useEffect(() => {
    if (!device || !here) return;
    void call('setup/meter', { device: device.name, hostApi: here.hostApi, channelCount: device.channelCount }).catch((e: unknown) => setMessage(errorText(e)));
    return () => void call('setup/meter-stop', {}).catch((e: unknown) => setMessage(errorText(e)));
  }, [device?.name, device?.channelCount, epoch]);

  const shown = engine.setupPeaks;
  const peaks = device && shown?.device === device.name ? shown.peaks : [];
  if (identifying.current) peaks.forEach((p, i) => { identifying.current![i] = Math.max(identifying.current![i] ?? -120, p); });

  const identify = (): void => {
    identifying.current = [];
    setLit(undefined);
    setMessage(t('setup.identifyHint'));
    window.setTimeout(() => {
      const heard = (identifying.current ?? []).flatMap((p, i) => (p > LIT_DB ? [i + 1] : []));
      identifying.current = undefined;
      setLit(heard);
      setMessage(heard.length > 0 ? t('setup.heard', { channels: heard.join(', ') }) : t('setup.heardNone'));
    }, IDENTIFY_MS);
  };

  const set = (i: number, change: (c: Device['channels'][number]) => void): void => {
    const next = structuredClone(device!);
    change(next.channels[i]!);
    onChange(next);
  };

  return (
    <div className="setup-device">
      <label className="field">{t('setup.device')}
        <select name="setup-device" value={device && here ? device.name : ''} onChange={(e) => { const d = inputs.find((i) => i.name === e.target.value); if (d) onChange(device && device.channelCount <= d.channels ? { ...device, name: d.name, hostApi: d.hostApi } : blankDevice(d)); }}>
          <option value="" disabled>—</option>
          {inputs.map((d) => <option key={`${d.hostApi}/${d.name}`} value={d.name}>{d.name} · {d.hostApi} · {t('setup.channels', { count: d.channels })}</option>)}
        </select>
      </label>
      {device && here && (
        <label className="field">{t('setup.channelCount', { max: here.channels })}
          <input type="number" name="channel-count" min={1} max={here.channels} value={device.channelCount} onChange={(e) => {
            const n = Math.max(1, Math.min(here.channels, Math.floor(Number(e.target.value)) || 1));
            onChange({ ...device, channelCount: n, channels: Array.from({ length: n }, (_, i) => device.channels[i] ?? { channel: i + 1, seat: 'unused' as const }) });
          }} />
        </label>
      )}
      {device && !here && <p className="alarm-text" data-flag="device-missing">{t('setup.missing', { name: device.name })}</p>}
      {device && (
        <table className="rows setup-channels">
          <thead><tr><th>{t('setup.channel')}</th><th>{t('setup.seat')}</th><th>{t('setup.label')}</th><th>{t('setup.level')}</th></tr></thead>
          <tbody>
            {device.channels.map((c, i) => {
              const p = peaks[i] ?? -120;
              return (
                <tr key={c.channel} data-channel={c.channel} className={[lit?.includes(c.channel) ? 'lit' : '', p > LIT_DB ? 'live' : ''].join(' ').trim()}>
                  <td>{c.channel}</td>
                  <td><select name={`seat-${c.channel}`} value={c.seat} onChange={(e) => set(i, (x) => { x.seat = e.target.value as typeof c.seat; })}>
                    <option value="unused">{t('setup.unused')}</option>
                    {SEAT_ROLE_IDS.map((r) => <option key={r} value={r}>{seatLabel(r)}</option>)}
                  </select></td>
                  <td><input name={`label-${c.channel}`} value={c.label ?? ''} maxLength={80} onChange={(e) => set(i, (x) => { if (e.target.value) x.label = e.target.value; else delete x.label; })} /></td>
                  <td><span className="setup-meter" data-peak={p}><span style={{ width: `${Math.max(0, Math.min(100, ((p + 60) / 60) * 100))}%` }} /></span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {device && here && <button type="button" name="identify" onClick={identify}>{t('setup.identify')}</button>}
      <p className="message" data-for="audio">{message}</p>
    </div>
  );
}
