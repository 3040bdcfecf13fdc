import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupState } from '../../../shared/api/setup-contract.js';
import { redactCredentials } from '../../../shared/redact.js';
import { call } from '../../api-client.js';
import { useErrorText } from '../../components/common.js';

type Camera = Record<string, unknown>;
type Server = Record<string, unknown>;
/** How often the live preview asks for a new picture (each is one ffmpeg connection to the camera). */
const LIVE_MS = 3000;

/** Step 4: the cameras, each added only once its picture was shown; an RTSP password is kept here and never shown again. */
export function SetupCameras({ detected, cameras, onChange }: { detected: SetupState['cameras']; cameras: Camera[]; onChange: (c: Camera[]) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [url, setUrl] = useState('');
  const [preview, setPreview] = useState<string | undefined>();
  const [live, setLive] = useState<Record<string, unknown> | undefined>();
  const [message, setMessage] = useState('');
  // the last camera added stays live: a new picture every few seconds while this step is shown
  useEffect(() => {
    if (!live) return;
    let stopped = false;
    const timer = window.setInterval(() => {
      void call('setup/camera', { source: live as never }).then((shot) => { if (!stopped) setPreview(shot.previewUrl); }, (e: unknown) => { if (!stopped) setMessage(errorText(e)); });
    }, LIVE_MS);
    return () => { stopped = true; window.clearInterval(timer); };
  }, [live]);
  const add = async (source: Record<string, unknown>, label: string): Promise<void> => {
    setMessage('');
    try {
      const shot = await call('setup/camera', { source: source as never });
      setPreview(shot.previewUrl);
      setLive(source);
      onChange([...cameras, { id: `cam${cameras.length + 1}`, label, source }]);
      setUrl('');
      setMessage(`${label}: ${t('setup.added')}`);
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <section className="setup-step" data-step="cameras">
      <h3>{t('setup.cameras')}</h3>
      {detected.length > 0 && <p>{t('setup.detected')}: {detected.map((d) => (
        <button key={d.device} type="button" name={`camera-${d.device}`} onClick={() => void add({ kind: d.kind, device: d.device }, d.name)}>{d.name}</button>))}</p>}
      <div className="row">
        <input name="rtsp-url" type="password" autoComplete="off" size={60} placeholder={t('setup.addRtsp')} value={url} onChange={(e) => setUrl(e.target.value)} />
        <button type="button" name="camera-preview" disabled={!/^rtsps?:\/\//i.test(url)} onClick={() => void add({ kind: 'rtsp', url, transport: 'tcp' }, redactCredentials(url))}>{t('setup.preview')}</button>
      </div>
      <ul>{cameras.map((c) => <li key={String(c.id)} data-camera={String(c.id)}>{String(c.id)}: {String(c.label ?? '')}</li>)}</ul>
      {cameras.length === 0 && <p>{t('setup.noCameras')}</p>}
      {preview && <img className="setup-preview" alt="" src={preview} width={320} />}
      <p className="message" data-for="cameras">{message}</p>
    </section>
  );
}

/** Step 5: a regional server: its key is shown, compared and confirmed by IT (trust on first use), then a test upload is read back. */
export function SetupServers({ servers, keyPath, onChange }: { servers: Server[]; keyPath: string; onChange: (s: Server[], keyPath: string) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form, setForm] = useState({ id: servers.length === 0 ? 'primary' : 'reserve', host: '', port: '22', username: '', remoteRoot: '', key: keyPath });
  const [probe, setProbe] = useState<{ keyLine: string; fingerprint: string; type: string } | undefined>();
  const [message, setMessage] = useState('');
  const field = (k: keyof typeof form, label: string): React.JSX.Element => (
    <label className="field">{label}<input name={`server-${k}`} value={form[k]} onChange={(e) => { setForm({ ...form, [k]: e.target.value }); setProbe(undefined); }} /></label>
  );
  const server = { id: form.id, host: form.host, port: Number(form.port), username: form.username, remoteRoot: form.remoteRoot };
  const confirm = async (): Promise<void> => {
    setMessage('');
    try {
      const r = await call('setup/server-test', { server, hostKey: probe!.keyLine, privateKeyPath: form.key });
      onChange([...servers.filter((s) => s.id !== form.id), { ...server, hostKeys: r.hostKeys }], form.key);
      setMessage(`${form.id}: ${t('setup.pinned', { how: r.how })}`);
      setProbe(undefined);
      setForm({ ...form, id: 'reserve', host: '' });
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <section className="setup-step" data-step="servers">
      <h3>{t('setup.servers')}</h3>
      <div className="grid">
        {field('id', t('setup.serverId'))}{field('host', t('setup.host'))}{field('port', t('setup.port'))}
        {field('username', t('setup.user'))}{field('remoteRoot', t('setup.remoteRoot'))}{field('key', t('setup.key'))}
      </div>
      <button type="button" name="server-probe" disabled={!form.host} onClick={() => void call('setup/server-probe', { host: form.host, port: Number(form.port) }).then(setProbe, (e: unknown) => setMessage(errorText(e)))}>{t('setup.probe')}</button>
      {probe && <p>{t('setup.compare')} <code data-fingerprint={probe.fingerprint}>{probe.type} {probe.fingerprint}</code>{' '}
        <button type="button" name="server-confirm" className="primary" onClick={() => void confirm()}>{t('setup.confirm')}</button></p>}
      <ul>{servers.map((s) => <li key={String(s.id)} data-server={String(s.id)}>{String(s.id)}: {String(s.username)}@{String(s.host)}:{String(s.port)}</li>)}</ul>
      <p className="message" data-for="servers">{message}</p>
    </section>
  );
}
