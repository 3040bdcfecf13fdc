import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { config as zodConfig } from 'zod';
import { mediumIndexSchema, type MediumIndex } from '../shared/medium-format.js';
import { parseManifest, type Manifest } from '../shared/package-format.js';
import { initI18n, setUiLang, UI_LANGS, type UiLang } from '../ui/i18n/index.js';
import { MediaElementAudio, type PlayerAudio } from './player-audio.js';
import { PlayerView } from './PlayerView.js';
import { checkSeal, type SealResult } from './seal-check.js';
import { byMediumPath, verifyCopy, type CopyReport } from './verify-copy.js';
import { readWavInfo, sparsePeaks } from './wav-file.js';
import { WavAudio } from './wav-playback.js';

/**
 * The player a disc or stick carries, opened by double-click from the medium
 * (file://): no install, no server. `abk-medium.js` beside it gives the index
 * and the sealed manifests; the mix and the A/V file play at once by their
 * relative addresses. One click that grants the medium's folder gives the
 * microphones' WAVs (read through the picked files, never fetched) and
 * "Verify this copy".
 */
declare global { interface Window { ABK_MEDIUM?: { index: unknown; manifests: Record<string, string> } } }

zodConfig({ jitless: true });
initI18n();

interface Loaded { index: MediumIndex; manifests: Map<string, Manifest> }

function load(): Loaded | string {
  const raw = window.ABK_MEDIUM;
  if (!raw) return 'noIndex';
  const r = mediumIndexSchema.safeParse(raw.index);
  if (!r.success) return 'noIndex';
  return { index: r.data, manifests: new Map(r.data.sittings.map((s) => [s.base, parseManifest(raw.manifests[s.base] ?? '')] as const)) };
}

/** The waveform's detail: about 3000 points whatever the length, read as short stretches spread over each file. */
const PEAKS = 3000;

function Portable(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const [loaded] = useState(load);
  const [chosen, setChosen] = useState(0);
  const [files, setFiles] = useState<Map<string, File> | undefined>();
  const [mixEl, setMixEl] = useState<HTMLAudioElement | null>(null);
  const [audio, setAudio] = useState<PlayerAudio | undefined>();
  const [peaks, setPeaks] = useState<Uint8Array | undefined>();
  const [message, setMessage] = useState('');
  const [verify, setVerify] = useState<{ read: number; total: number; report?: CopyReport; seal?: SealResult | 'missing' } | undefined>();
  const sitting = typeof loaded === 'string' ? undefined : loaded.index.sittings[chosen];
  const m = sitting && typeof loaded !== 'string' ? loaded.manifests.get(sitting.base) : undefined;
  const mics = m ? m.files.filter((f) => f.kind === 'microphone' && (!f.part || f.part.index === 1)).sort((a, b) => a.microphone!.number - b.microphone!.number) : [];
  const mix = m?.files.find((f) => f.kind === 'mix');
  const av = m?.files.find((f) => f.kind === 'audio-video');
  // a listening copy carries each microphone as an MP3 beside the mix: played on its own, not under Web Audio
  const listening = typeof loaded !== 'string' && loaded.index.contents === 'listening';
  const withMix = !files || listening;

  // before the folder is granted: the mix as it is, from its relative address
  useEffect(() => {
    if (!mixEl || !withMix) return;
    const a = new MediaElementAudio(mixEl, undefined);
    setAudio(a);
    void a.play().catch(() => undefined); // a browser that wants a click first gets it on ▶
    return () => a.dispose();
  }, [mixEl, withMix]);

  // once granted: every microphone from its WAV, sample-locked, from where the mix was
  useEffect(() => {
    if (!files || !sitting || mics.length === 0 || listening) return;
    let gone = false;
    let made: WavAudio | undefined;
    void (async () => {
      const tracks = await Promise.all(mics.map(async (f) => {
        const file = files.get(`${sitting.folder}/${f.name}`);
        if (!file) {
          // on a set of discs, a microphone may be on another one: say which
          const disc = typeof loaded !== 'string' ? loaded.index.files.find((x) => x.path === `${sitting.folder}/${f.name}`)?.disc : undefined;
          throw new Error(`${f.name}: ${disc && typeof loaded !== 'string' && disc !== loaded.index.disc.number ? `${t('medium.disc')} ${disc}/${loaded.index.disc.of}` : t('medium.missing')}`);
        }
        return { file, info: await readWavInfo(file) };
      }));
      if (gone) return;
      const from = audio?.currentMs() ?? 0;
      made = new WavAudio(tracks, (e) => setMessage(e.message));
      made.seek(from);
      setAudio(made);
      setMessage(t('medium.opened'));
      const seconds = tracks[0]!.info.frames / tracks[0]!.info.sampleRate;
      const points = Math.max(1, Math.min(PEAKS, Math.round(seconds * 50)));
      const each = await Promise.all(tracks.map((x) => sparsePeaks(x.file, x.info, points)));
      if (!gone) setPeaks(each.reduce((acc, p) => acc.map((v, i) => Math.max(v, p[i] ?? 0))));
    })().catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
    return () => { gone = true; made?.dispose(); };
  }, [files, chosen]);

  if (typeof loaded === 'string' || !sitting || !m) return <div className="screen"><p className="bad">{t('medium.noIndex')}</p></div>;
  const index = loaded.index;
  const grant = (list: FileList | null): void => {
    if (!list) return;
    const got = byMediumPath(list, index);
    if (!got.has('abk-medium.json')) { setMessage(t('medium.wrongFolder')); return; }
    audio?.pause();
    setFiles(got);
  };
  const runVerify = (): void => {
    if (!files) return;
    setVerify({ read: 0, total: 1 });
    void verifyCopy(index, files, (read, total) => setVerify({ read, total })).then(async (report) => {
      // the seal of the sitting shown: over this manifest's bytes, by the certificate it carries
      const manifestFile = files.get(sitting.manifest.path);
      const p7s = files.get(sitting.manifest.path.replace(/\.json$/, '.p7s'));
      const seal = manifestFile && p7s ? await checkSeal(new Uint8Array(await manifestFile.arrayBuffer()), new Uint8Array(await p7s.arrayBuffer())) : 'missing' as const;
      setVerify({ read: report.bytes, total: report.bytes, report, seal });
    }, (e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  };
  const offsetS = (av?.audioStartMs ?? 0) / 1000;
  const header = (
    <div className="medium-bar">
      <select name="ui-lang" value={i18n.language} onChange={(e) => setUiLang(e.target.value as UiLang)}>{UI_LANGS.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}</select>
      {index.sittings.length > 1 && (
        <select name="sitting" value={chosen} onChange={(e) => { setFiles(undefined); setPeaks(undefined); setChosen(Number(e.target.value)); }} aria-label={t('medium.sitting')}>
          {index.sittings.map((s, i) => <option key={s.base} value={i}>{s.base}</option>)}
        </select>
      )}
      <span>{t('medium.disc')} {index.disc.number}/{index.disc.of}{index.contents === 'listening' ? ` · ${t('medium.derived')}` : ''}</span>
      {!files && <label className="button primary">{t('medium.open')}<input type="file" name="grant" hidden multiple {...{ webkitdirectory: '' }} onChange={(e) => grant(e.target.files)} /></label>}
      {!files && <p className="hint">{t('medium.openHint')}</p>}
      {withMix && mix && <audio key={sitting.base} ref={setMixEl} src={`${sitting.folder}/${mix.name}`} preload="auto" data-testid="mix" />}
      {listening && <p className="hint">{t('medium.derived')}: {mics.map((f) => {
        const mp3 = f.name.replace(/\.wav$/i, '.mp3');
        return <a key={mp3} href={`${sitting.folder}/${mp3}`} target="_blank" rel="noreferrer">{f.microphone!.number}. {mp3} </a>;
      })}</p>}
      <p className="message" data-testid="medium-message">{message}</p>
    </div>
  );
  const footer = (
    <section className="verify-copy" data-testid="verify-copy">
      <h3>{t('medium.verify')}</h3>
      <p>{t('medium.manifest')}: <code data-testid="manifest-sha256">{sitting.manifest.sha256}</code></p>
      <button name="verify-copy" disabled={!files || (verify !== undefined && !verify.report)} onClick={runVerify}>{t('medium.verify')}</button>
      {verify && !verify.report && <span> {t('medium.verifying')} {Math.round((verify.read / Math.max(1, verify.total)) * 100)}%</span>}
      {verify?.report && (
        <div className={verify.report.ok ? 'ok' : 'bad'} data-testid="verify-result" data-ok={String(verify.report.ok)} data-mbps={(verify.report.bytes / 1e6 / Math.max(1e-3, verify.report.seconds)).toFixed(1)}>
          <strong>{verify.report.ok ? `✓ ${t('medium.ok')}` : `✗ ${t('medium.bad')}`}</strong> ({(verify.report.bytes / 1e6).toFixed(0)} MB, {verify.report.seconds.toFixed(1)} s)
          {verify.seal && <p data-testid="seal" data-seal={verify.seal === 'missing' ? 'missing' : verify.seal.state}>{t('medium.seal')}: {verify.seal === 'missing' ? t('medium.sealMissing') : t(`medium.seal_${verify.seal.state}`)}
            {verify.seal !== 'missing' && verify.seal.fingerprint && <> — {t('medium.signer')} <code>{verify.seal.fingerprint}</code></>}
            {verify.seal !== 'missing' && verify.seal.state !== 'valid' && ` (${verify.seal.detail})`}</p>}
          <ul>{verify.report.findings.filter((f) => f.status !== 'ok').map((f) => <li key={f.path} data-status={f.status}>{f.path}: {t(`medium.${f.status}`)}{f.detail ? ` (${f.detail})` : ''}</li>)}</ul>
        </div>
      )}
    </section>
  );
  // the manifest's wall times are Almaty's, with its offset beside them
  const wallOf = (t: string): number => Date.parse(`${t.replace(' ', 'T')}${m.utcOffset}`);
  return (
    <PlayerView title={`${m.caseNumber} — ${sitting.base}`} tracks={mics.map((f) => ({ seat: f.microphone!.seat }))} audio={audio}
      marks={m.marks.map((k) => ({ id: k.id, kind: k.kind, atMs: k.mediaMs, wallMs: wallOf(k.wallTime), seat: k.seat, participant: k.participant, text: k.text }))}
      peaks={peaks} perSecond={peaks ? peaks.length / (m.mediaDurationMs / 1000) : 50} lengthMs={m.mediaDurationMs}
      video={av ? { src: `${sitting.folder}/${av.name}`, offsetS } : undefined} header={header} footer={footer} />
  );
}

createRoot(document.getElementById('root')!).render(<Portable />);
