import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlayerInfo } from '../../shared/api/contract.js';
import { MediaElementAudio, type PlayerAudio } from '../../player/player-audio.js';
import { PlayerView } from '../../player/PlayerView.js';
import { call } from '../api-client.js';
import { ProgressBar, useErrorText } from '../components/common.js';
import { useEngine } from '../store.js';

/**
 * The app's shell of the judge's player (src/player, the same player a disc
 * carries): the sitting's listening copy streamed from the engine, every
 * microphone on its own channel of one stream, so playing starts at once,
 * however long the sitting.
 */
export function Player({ sittingId }: { sittingId: number | undefined }): React.JSX.Element {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const state = useEngine();
  const [info, setInfo] = useState<PlayerInfo | undefined>();
  const [peaks, setPeaks] = useState<Uint8Array | undefined>();
  const [message, setMessage] = useState('');
  const [el, setEl] = useState<HTMLAudioElement | null>(null);
  const [audio, setAudio] = useState<PlayerAudio | undefined>();
  const progress = sittingId !== undefined ? state.progress.get(sittingId) : undefined;

  useEffect(() => {
    if (sittingId === undefined) return;
    void call('player/info', { id: sittingId }).then((i) => {
      setInfo(i);
      if (i.peaks) void fetch(i.peaks.url).then((r) => r.arrayBuffer()).then((b) => setPeaks(new Uint8Array(b)));
    }, (e: unknown) => setMessage(errorText(e)));
  }, [sittingId, progress?.stage === 'done']);

  const channels = info?.tracks.length;
  useEffect(() => {
    if (!el || channels === undefined) return;
    const a = new MediaElementAudio(el, channels);
    setAudio(a);
    return () => { a.dispose(); setAudio(undefined); };
  }, [el, channels]);

  if (sittingId === undefined) return <div className="screen"><p>{t('player.choose')}</p></div>;
  if (!info) return <div className="screen"><p>{message || t('common.loading')}</p></div>;
  // the waveform's own length is the sound's: marks and the playhead are placed on it
  const lengthMs = peaks && info.peaks ? (peaks.length / info.peaks.perSecond) * 1000 : info.durationMs;
  const header = (
    <>
      {info.listen.state === 'making' && <ProgressBar fraction={progress?.fraction ?? info.listen.progress ?? 0} label={t('player.making')} />}
      {info.listen.state === 'failed' && <p className="bad">{t('player.failed')}: {info.listen.error ? errorText(info.listen.error) : ''}</p>}
      {info.listen.url && <audio ref={setEl} src={info.listen.url} preload="metadata" data-testid="listen" />}
    </>
  );
  return (
    <PlayerView title={info.base} tracks={info.tracks} audio={info.listen.state === 'ready' ? audio : undefined}
      marks={info.marks.map((m) => ({ ...m, atMs: m.timelineMs }))} peaks={peaks} perSecond={info.peaks?.perSecond ?? 50} lengthMs={lengthMs}
      video={info.video ? { src: info.video.url, offsetS: (info.video.audioStartMs ?? 0) / 1000 } : undefined}
      header={header} footer={<p className="message">{message}</p>} />
  );
}
