import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { SEAT_ROLE_IDS } from '../../shared/seats.js';
import { call } from '../api-client.js';
import { useErrorText, useSeatLabel } from '../components/common.js';
import { Meters } from '../components/Meters.js';

/**
 * IT staff's settings behind their password: the channel-to-seat map with a
 * live meter beside each channel, cameras, regional servers, the protocol's
 * templates, disk limits, and every setting as JSON. The engine checks the
 * whole configuration before it replaces the file.
 */
export function Settings({ info, onSaved }: { info: EngineInfo; onSaved: () => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const seatLabel = useSeatLabel();
  const [password, setPassword] = useState('');
  const [config, setConfig] = useState<AbkConfig | undefined>();
  const [json, setJson] = useState('');
  const [message, setMessage] = useState('');

  const load = (): void => void call('settings/get', {}).then((r) => { setConfig(r.config); setJson(JSON.stringify(r.config, null, 2)); }, (e: unknown) => setMessage(errorText(e)));
  useEffect(() => { if (info.settingsUnlocked) load(); }, []);
  useEffect(() => {
    if (!config || info.active) return;
    void call('precheck/start', {}).catch(() => undefined);
    return () => void call('precheck/stop', {}).catch(() => undefined);
  }, [config !== undefined]);

  const edit = (change: (c: AbkConfig) => void): void => {
    const next = structuredClone(config!);
    change(next);
    setConfig(next);
    setJson(JSON.stringify(next, null, 2));
  };

  const save = async (): Promise<void> => {
    try {
      const parsed = JSON.parse(json) as unknown;
      await call('precheck/stop', {}).catch(() => undefined);
      const r = await call('settings/save', { config: parsed });
      setConfig(r.config);
      setJson(JSON.stringify(r.config, null, 2));
      setMessage(t('settings.saved'));
      onSaved();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  if (!config) {
    return (
      <div className="screen settings">
        <h2>{t('settings.title')}</h2>
        <p>{t('settings.locked')}</p>
        <form onSubmit={(e) => { e.preventDefault(); void call('settings/unlock', { password }).then(load, (x: unknown) => setMessage(errorText(x))); }}>
          <input type="password" name="password" autoComplete="off" placeholder={t('settings.password')} value={password} onChange={(e) => setPassword(e.target.value)} />
          <button type="submit">{t('settings.unlock')}</button>
        </form>
        <p className="message">{message}</p>
      </div>
    );
  }
  let n = 0;
  return (
    <div className="screen settings">
      <h2>{t('settings.title')}</h2>
      <h3>{t('settings.channels')}</h3>
      <table className="rows">
        <thead><tr><th>{t('settings.device')}</th><th>{t('settings.channel')}</th><th>{t('form.seat')}</th><th>{t('settings.label')}</th><th>{t('settings.meter')}</th></tr></thead>
        <tbody>
          {config.audio.devices.flatMap((d, di) => d.channels.map((ch, ci) => {
            const seat = info.seats[n++];
            return (
              <tr key={`${di}-${ci}`}>
                <td>{d.name}</td><td>{ch.channel}</td>
                <td><select value={ch.seat} onChange={(e) => edit((c) => { c.audio.devices[di]!.channels[ci]!.seat = e.target.value as typeof ch.seat; })}>{SEAT_ROLE_IDS.map((r) => <option key={r} value={r}>{seatLabel(r)}</option>)}</select></td>
                <td><input value={ch.label ?? ''} onChange={(e) => edit((c) => { c.audio.devices[di]!.channels[ci]!.label = e.target.value || undefined; })} /></td>
                <td>{seat && <Meters seats={[seat]} />}</td>
              </tr>
            );
          }))}
        </tbody>
      </table>
      <h3>{t('settings.servers')}</h3>
      <table className="rows">
        <thead><tr><th>id</th><th>{t('settings.host')}</th><th>{t('settings.port')}</th><th>{t('settings.user')}</th><th>{t('settings.remoteRoot')}</th><th /></tr></thead>
        <tbody>
          {config.replication.servers.map((s, i) => (
            <tr key={i}>
              {(['id', 'host', 'port', 'username', 'remoteRoot'] as const).map((k) => (
                <td key={k}><input value={String(s[k] ?? '')} onChange={(e) => edit((c) => { (c.replication.servers[i] as Record<string, unknown>)[k] = k === 'port' ? Number(e.target.value) : e.target.value; })} /></td>
              ))}
              <td><button onClick={() => edit((c) => { c.replication.servers.splice(i, 1); })}>{t('common.remove')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={() => edit((c) => { c.replication.servers.push({ id: c.replication.servers.length ? 'reserve' : 'primary', host: '', port: 22, hostKeys: [] }); })}>{t('common.add')}</button>
      <h3>{t('settings.cameras')}</h3>
      <ul>{config.video.cameras.map((cam) => <li key={cam.id}>{cam.id} — {cam.label ?? ''} — {t('settings.source')}: {cam.source.kind} {'url' in cam.source ? cam.source.url : 'device' in cam.source ? cam.source.device : ''}</li>)}</ul>
      <label className="field"><span>{t('settings.templates')}</span>
        <input value={config.protocol.templateDir ?? ''} onChange={(e) => edit((c) => { c.protocol.templateDir = e.target.value || undefined; })} />
      </label>
      <label className="field"><span>{t('settings.disk')}</span>
        <span className="row">
          <input type="number" value={config.disk.warnFreeMiB} onChange={(e) => edit((c) => { c.disk.warnFreeMiB = Number(e.target.value); })} />
          <input type="number" value={config.disk.stopFreeMiB} onChange={(e) => edit((c) => { c.disk.stopFreeMiB = Number(e.target.value); })} />
        </span>
      </label>
      <h3>{t('settings.advanced')}</h3>
      <textarea name="config-json" className="json" rows={16} value={json} onChange={(e) => setJson(e.target.value)} />
      <div className="actions">
        <button className="primary" name="save-settings" onClick={() => void save()}>{t('common.save')}</button>
        <span className="message" data-testid="settings-message">{message}</span>
      </div>
    </div>
  );
}
