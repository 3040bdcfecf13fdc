import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EngineInfo, SittingDetail } from '../shared/api/contract.js';
import { call, connectEvents } from './api-client.js';
import { AlarmBanner } from './components/AlarmBanner.js';
import { useErrorText } from './components/common.js';
import { hasUiLangChoice, setUiLang, UI_LANGS, type UiLang } from './i18n/index.js';
import { Console } from './screens/Console.js';
import { Library } from './screens/Library.js';
import { Player } from './screens/Player.js';
import { Precheck } from './screens/Precheck.js';
import { Settings } from './screens/Settings.js';
import { SittingForm } from './screens/SittingForm.js';
import { Setup } from './screens/setup/Setup.js';
import { engine } from './store.js';

const SCREENS = ['sitting', 'precheck', 'console', 'library', 'player', 'settings'] as const;
type Screen = (typeof SCREENS)[number];

/** The window: the screens, the language switch, and the alarms above everything. */
export function App(): React.JSX.Element {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [info, setInfo] = useState<EngineInfo | undefined>();
  const [screen, setScreen] = useState<Screen>('sitting');
  const [sitting, setSitting] = useState<SittingDetail | undefined>();
  const [playId, setPlayId] = useState<number | undefined>();
  const [message, setMessage] = useState('');

  const refresh = async (): Promise<EngineInfo> => {
    const i = await call('engine/info', {});
    setInfo(i);
    engine.setAlarms(i.alarms);
    return i;
  };

  useEffect(() => {
    document.documentElement.lang = i18n.language;
    void refresh().then(async (i) => {
      if (i.language && !hasUiLangChoice()) setUiLang(i.language);
      // a window opened (or reloaded) during a recording goes straight to its console
      if (i.active) { setSitting(await call('sittings/get', { id: i.active.sittingId })); setScreen('console'); }
    }, (e: unknown) => setMessage(errorText(e)));
    return connectEvents((e) => {
      engine.apply(e);
      if (e.type === 'state' || e.type === 'finalized') void refresh();
    }, (up) => { engine.setConnected(up); if (up) void refresh().catch(() => undefined); });
  }, []);

  const go = (s: Screen): void => setScreen(s);
  const play = (id: number): void => { setPlayId(id); setScreen('player'); };
  if (!info) return <div className="screen"><AlarmBanner /><p>{message || t('common.loading')}</p></div>;
  if (info.setup) return <div className="app"><header className="top"><h1>{t('app.title')}</h1></header><AlarmBanner /><main><Setup onDone={() => void refresh()} /></main></div>;
  return (
    <div className="app">
      <header className="top">
        <h1>{t('app.title')}</h1>
        <nav>
          {SCREENS.map((s) => <button key={s} name={`nav-${s}`} className={screen === s ? 'on' : ''} onClick={() => go(s)}>{t(`nav.${s}`)}</button>)}
        </nav>
        <label className="lang">{t('app.language')}{' '}
          <select name="ui-lang" value={i18n.language} onChange={(e) => setUiLang(e.target.value as UiLang)}>
            {UI_LANGS.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
          </select>
        </label>
      </header>
      <AlarmBanner />
      <main>
        {screen === 'sitting' && <SittingForm onOpened={(s) => { setSitting(s); go('precheck'); }} />}
        {screen === 'precheck' && <Precheck info={info} sitting={sitting} onStarted={(s) => { setSitting(s); void refresh(); go('console'); }} />}
        {screen === 'console' && <Console info={info} sitting={sitting} onSitting={(s) => { setSitting(s); void refresh(); }} onPlay={play} />}
        {screen === 'library' && <Library onPlay={play} onContinue={(s) => { setSitting(s); go('precheck'); }} />}
        {screen === 'player' && <Player sittingId={playId} />}
        {screen === 'settings' && <Settings info={info} onSaved={() => void refresh()} />}
      </main>
    </div>
  );
}
