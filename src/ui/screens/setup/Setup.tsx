import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupCheck, SetupFolder, SetupState } from '../../../shared/api/setup-contract.js';
import { answersFromFile, type SetupAnswersInput } from '../../../shared/setup-answers.js';
import { call } from '../../api-client.js';
import { useErrorText, useSeatLabel } from '../../components/common.js';
import { setUiLang, UI_LANGS, type UiLang } from '../../i18n/index.js';
import { SetupAudio } from './SetupAudio.js';
import { SetupCameras, SetupServers } from './SetupRemote.js';

type Answers = Omit<SetupAnswersInput, 'passwordHash'> & { passwordHash?: string };

/**
 * First-run setup: shown instead of the console while this PC has no
 * configuration. Each step checks what it can at once (the folder, the
 * meters, a camera's picture, a server's key and a test upload, the protocol
 * preview, a test recording); the engine writes the configuration only when
 * the whole of it is valid, and then starts as usual.
 */
export function Setup({ onDone }: { onDone: () => void }): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const seatLabel = useSeatLabel();
  const lang = (UI_LANGS.some((l) => l.id === i18n.language) ? i18n.language : 'en') as UiLang;
  const [state, setState] = useState<SetupState | undefined>();
  const [answers, setAnswers] = useState<Answers>({ language: i18n.language as UiLang, recordingsRoot: '', audioDevices: [], cameras: [], servers: [] });
  const [folder, setFolder] = useState<SetupFolder | undefined>();
  const [password, setPassword] = useState(['', '']);
  const [templateDir, setTemplateDir] = useState('');
  const [preview, setPreview] = useState<string | undefined>();
  const [checks, setChecks] = useState<{ ok: boolean; checks: SetupCheck[] } | 'running' | undefined>();
  /** Bumped when a test recording ends: the meters it stopped start again. */
  const [meterEpoch, setMeterEpoch] = useState(0);
  const [messages, setMessages] = useState<Record<string, string>>({});
  const say = (step: string, text: string): void => setMessages((m) => ({ ...m, [step]: text }));

  useEffect(() => {
    void call('setup/state', {}).then((s) => { setState(s); setAnswers((a) => ({ ...a, recordingsRoot: a.recordingsRoot || s.suggestedRoot })); }, (e: unknown) => say('state', errorText(e)));
  }, []);

  const patch = (p: Partial<Answers>): void => setAnswers((a) => ({ ...a, ...p }));
  const tracks = Math.max(1, answers.audioDevices.reduce((n, d) => n + d.channels.filter((c) => c.seat !== 'unused').length, 0));
  const full = (): Answers => ({ ...answers, ...(templateDir ? { templateDir } : {}) });
  const checkFolder = (path = answers.recordingsRoot): void => void call('setup/folder', { path, tracks, bitDepth: answers.bitDepth ?? 24, sampleRate: answers.sampleRate ?? 48000 })
    .then((f) => { setFolder(f); say('folder', t('setup.hours', { hours: f.hoursFree, free: (f.freeBytes / 1e9).toFixed(1) })); }, (e: unknown) => { setFolder(undefined); say('folder', errorText(e)); });

  const finish = async (): Promise<void> => {
    if (password[0] !== password[1]) { say('finish', t('setup.mismatch')); return; }
    try {
      await call('setup/finish', { answers: full(), password: password[0]! });
      say('finish', t('setup.finished'));
      // the engine takes over the same address: ask until it answers as itself
      for (let i = 0; i < 60; i++) {
        await new Promise((r) => setTimeout(r, 500));
        const info = await call('engine/info', {}).catch(() => undefined); // no answer while the engine takes over the address: asked again
        if (info && !info.setup) { onDone(); return; }
      }
      say('finish', t('setup.notStarted'));
    } catch (e) {
      say('finish', errorText(e));
    }
  };

  const exportAnswers = (): void => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([`${JSON.stringify(full(), null, 2)}\n`], { type: 'application/json' }));
    a.download = 'abk-setup-answers.json';
    a.click();
  };
  const importAnswers = (file: File | undefined): void => {
    void file?.text().then((text) => {
      const r = answersFromFile(text);
      if (!r.ok) { say('import', errorText(r.error)); return; }
      const a = r.answers;
      // nothing is dropped: an interface this PC lacks stays, flagged, until one of this PC's takes its place
      setAnswers({ ...a, cameras: a.cameras ?? [], servers: a.servers ?? [] });
      setTemplateDir(a.templateDir ?? '');
      setUiLang(a.language);
      checkFolder(a.recordingsRoot); // this PC's folder of that name, checked at once
      say('import', t('setup.imported', { devices: a.audioDevices.length, cameras: a.cameras?.length ?? 0, servers: a.servers?.length ?? 0 }));
    }, (e: unknown) => say('import', errorText(e)));
  };

  if (!state) return <div className="screen setup"><h2>{t('setup.title')}</h2><p>{messages.state ?? t('common.loading')}</p></div>;
  return (
    <div className="screen setup">
      <h2>{t('setup.title')}</h2>
      <p>{t('setup.intro')}</p>
      <div className="actions">
        <button type="button" name="setup-export" onClick={exportAnswers}>{t('setup.export')}</button>
        <label>{t('setup.import')} <input type="file" name="setup-import" accept="application/json,.json" onChange={(e) => importAnswers(e.target.files?.[0])} /></label>
        <span className="message" data-for="import">{messages.import}</span>
      </div>

      <section className="setup-step" data-step="language">
        <h3>{t('setup.language')}</h3>
        <select name="setup-language" value={answers.language} onChange={(e) => { const l = e.target.value as UiLang; patch({ language: l }); setUiLang(l); }}>
          {UI_LANGS.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
        </select>
      </section>

      <section className="setup-step" data-step="folder">
        <h3>{t('setup.folder')}</h3>
        <div className="row">
          <input name="setup-folder" size={60} value={answers.recordingsRoot} onChange={(e) => { patch({ recordingsRoot: e.target.value }); setFolder(undefined); }} />
          <button type="button" name="folder-check" onClick={() => checkFolder()}>{t('setup.check')}</button>
        </div>
        <p className="message" data-for="folder" data-ok={folder ? 'yes' : 'no'}>{messages.folder}</p>
      </section>

      <SetupAudio inputs={state.audio} devices={answers.audioDevices} epoch={meterEpoch} onChange={(audioDevices) => patch({ audioDevices })} />
      <SetupCameras detected={state.cameras} cameras={answers.cameras ?? []} onChange={(cameras) => patch({ cameras })} />
      <SetupServers servers={answers.servers ?? []} keyPath={answers.privateKeyPath ?? ''} onChange={(servers, privateKeyPath) => patch({ servers, ...(privateKeyPath ? { privateKeyPath } : {}) })} />

      <section className="setup-step" data-step="templates">
        <h3>{t('setup.templates')}</h3>
        <input name="template-dir" size={60} placeholder={t('setup.templateDir')} value={templateDir} onChange={(e) => setTemplateDir(e.target.value)} />
        {(['kk', 'ru'] as const).map((l) => (
          <button key={l} type="button" name={`template-preview-${l}`} onClick={() => void call('setup/template', { language: l, ...(templateDir ? { templateDir } : {}) })
            .then((r) => { setPreview(r.previewUrl); say('templates', ''); }, (e: unknown) => { setPreview(undefined); say('templates', errorText(e)); })}>{t(l === 'kk' ? 'setup.previewKk' : 'setup.previewRu')}</button>
        ))}
        {preview && <a href={preview} target="_blank" rel="noreferrer" data-preview="protocol">{t('setup.open')}</a>}
        <p className="message" data-for="templates">{messages.templates}</p>
      </section>

      <section className="setup-step" data-step="password">
        <h3>{t('setup.password')}</h3>
        <input type="password" name="password1" autoComplete="new-password" placeholder={t('setup.password1')} value={password[0]} onChange={(e) => setPassword([e.target.value, password[1]!])} />
        <input type="password" name="password2" autoComplete="new-password" placeholder={t('setup.password2')} value={password[1]} onChange={(e) => setPassword([password[0]!, e.target.value])} />
      </section>

      <section className="setup-step" data-step="test">
        <h3>{t('setup.test')}</h3>
        <button type="button" name="test-recording" disabled={checks === 'running' || answers.audioDevices.length === 0} onClick={() => {
          setChecks('running');
          void call('setup/test-recording', { answers: full(), seconds: 10 }).then(setChecks, (e: unknown) => { setChecks(undefined); say('test', errorText(e)); }).finally(() => setMeterEpoch((n) => n + 1));
        }}>{checks === 'running' ? t('setup.testing') : t('setup.testRun')}</button>
        {checks && checks !== 'running' && (
          <>
            <p className={checks.ok ? 'ok' : 'alarm-text'} data-test-result={checks.ok ? 'pass' : 'fail'}>{checks.ok ? t('setup.testOk') : t('setup.testBad')}</p>
            <ul>{checks.checks.map((c) => <li key={`${c.kind}/${c.name}`} data-check={c.ok ? 'pass' : 'fail'}>{c.ok ? t('setup.pass') : t('setup.fail')} · {c.name}: {c.seat ? `${seatLabel(c.seat)}${c.label ? ` (${c.label})` : ''} — ` : ''}{c.detail[lang]}</li>)}</ul>
          </>
        )}
        <p className="message" data-for="test">{messages.test}</p>
      </section>

      <div className="actions">
        <button type="button" name="setup-finish" className="primary big" disabled={!folder || password[0]!.length < 8} onClick={() => void finish()}>{t('setup.finish')}</button>
        <span className="message" data-for="finish">{messages.finish}</span>
      </div>
    </div>
  );
}
