import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MarkView, PlayerInfo } from '../../shared/api/contract.js';
import { call } from '../api-client.js';
import { fmtClock, ProgressBar, useErrorText, useSeatLabel } from '../components/common.js';
import { gainsOf, PlayerGraph } from '../components/player-graph.js';
import { Waveform } from '../components/Waveform.js';
import { useEngine } from '../store.js';

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
interface TrackState { solo: boolean; mute: boolean; volume: number }

/**
 * The judge's player: each microphone alone or with others (solo, mute,
 * volume), the video beside it, the waveform with the marks, a click on a mark
 * to jump there, 0.5×–2× with the pitch kept, and keys for all of it. The
 * recording streams from the engine; playing starts at once, however long.
 */
export function Player({ sittingId }: { sittingId: number | undefined }): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const errorText = useErrorText();
  const state = useEngine();
  const [info, setInfo] = useState<PlayerInfo | undefined>();
  const [peaks, setPeaks] = useState<Uint8Array | undefined>();
  const [tracks, setTracks] = useState<TrackState[]>([]);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [message, setMessage] = useState('');
  const audio = useRef<HTMLAudioElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const graph = useRef<PlayerGraph | undefined>(undefined);
  const progress = sittingId !== undefined ? state.progress.get(sittingId) : undefined;

  useEffect(() => {
    if (sittingId === undefined) return;
    void call('player/info', { id: sittingId }).then((i) => {
      setInfo(i);
      setTracks((old) => (old.length === i.tracks.length ? old : i.tracks.map(() => ({ solo: false, mute: false, volume: 1 }))));
      if (i.peaks) void fetch(i.peaks.url).then((r) => r.arrayBuffer()).then((b) => setPeaks(new Uint8Array(b)));
    }, (e: unknown) => setMessage(errorText(e)));
  }, [sittingId, progress?.stage === 'done']);

  useEffect(() => graph.current?.set(gainsOf(tracks)), [tracks]);

  const offset = (info?.video?.audioStartMs ?? 0) / 1000;
  const syncVideo = (): void => {
    const a = audio.current;
    const v = video.current;
    if (!a || !v) return;
    v.playbackRate = a.playbackRate;
    if (Math.abs(v.currentTime - (a.currentTime + offset)) > 0.25) v.currentTime = a.currentTime + offset;
    if (a.paused !== v.paused) void (a.paused ? v.pause() : v.play().catch(() => undefined));
  };
  useEffect(() => {
    const timer = window.setInterval(syncVideo, 500);
    return () => window.clearInterval(timer);
  });

  const toggle = async (): Promise<void> => {
    const a = audio.current;
    if (!a || !info) return;
    if (!graph.current) { graph.current = new PlayerGraph(a, info.tracks.length); graph.current.set(gainsOf(tracks)); }
    await graph.current.resume();
    if (a.paused) await a.play(); else a.pause();
    syncVideo();
  };
  const seek = (ms: number): void => {
    const a = audio.current;
    if (!a) return;
    a.currentTime = Math.max(0, ms / 1000);
    syncVideo();
  };
  const setSpeedTo = (s: number): void => {
    setSpeed(s);
    if (audio.current) { audio.current.playbackRate = s; audio.current.preservesPitch = true; }
  };
  const solo = (i: number): void => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, solo: !x.solo } : x)));
  const all = (): void => setTracks((ts) => ts.map((x) => ({ ...x, solo: false, mute: false })));
  const jump = (m: MarkView): void => seek(m.timelineMs);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      const a = audio.current;
      if (e.key === ' ') { e.preventDefault(); void toggle(); }
      else if (e.key === 'ArrowLeft' && a) seek(a.currentTime * 1000 - 5000);
      else if (e.key === 'ArrowRight' && a) seek(a.currentTime * 1000 + 5000);
      else if (/^[1-9]$/.test(e.key)) solo(Number(e.key) - 1);
      else if (e.key === '0') all();
      else if (e.key === '[') setSpeedTo(SPEEDS[Math.max(0, SPEEDS.indexOf(speed) - 1)]!);
      else if (e.key === ']') setSpeedTo(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + 1)]!);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  // the waveform's own length is the sound's: marks and the playhead are placed on it
  const lengthMs = peaks && info?.peaks ? (peaks.length / info.peaks.perSecond) * 1000 : info?.durationMs ?? 0;
  if (sittingId === undefined) return <div className="screen"><p>{t('player.choose')}</p></div>;
  if (!info) return <div className="screen"><p>{message || t('common.loading')}</p></div>;
  return (
    <div className="screen player">
      <h2>{info.base}</h2>
      {info.listen.state === 'making' && <ProgressBar fraction={progress?.fraction ?? info.listen.progress ?? 0} label={t('player.making')} />}
      {info.listen.state === 'failed' && <p className="bad">{t('player.failed')}: {info.listen.error ? errorText(info.listen.error) : ''}</p>}
      {info.listen.url && <audio ref={audio} src={info.listen.url} preload="metadata" data-testid="listen" onPlay={() => setPlaying(true)} onPause={() => setPlaying(false)} />}
      <div className="player-top">
        {info.video && <video ref={video} src={info.video.url} muted preload="metadata" className="player-video" />}
        <div className="tracks">
          <button name="mix" onClick={all} className={tracks.some((x) => x.solo || x.mute) ? '' : 'on'}><kbd>0</kbd> {t('player.mix')}</button>
          {info.tracks.map((tr, i) => (
            <div key={tr.stem} className="track" data-track={i + 1}>
              <span className="track-name">{i + 1}. {seatLabel(tr.seat)}</span>
              <button name={`solo-${i + 1}`} className={tracks[i]?.solo ? 'on' : ''} onClick={() => solo(i)}>{i < 9 && <kbd>{i + 1}</kbd>} {t('player.solo')}</button>
              <button name={`mute-${i + 1}`} className={tracks[i]?.mute ? 'on' : ''} onClick={() => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, mute: !x.mute } : x)))}>{t('player.mute')}</button>
              <input type="range" min={0} max={2} step={0.05} value={tracks[i]?.volume ?? 1} aria-label={t('player.volume')}
                onChange={(e) => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, volume: Number(e.target.value) } : x)))} />
            </div>
          ))}
        </div>
      </div>
      <Waveform peaks={peaks} perSecond={info.peaks?.perSecond ?? 50} durationMs={lengthMs} marks={info.marks} media={audio} onSeek={seek} />
      <div className="transport">
        <button name="back" onClick={() => seek((audio.current?.currentTime ?? 0) * 1000 - 5000)}>{t('player.back')}</button>
        <button name="play" className="primary big" disabled={info.listen.state !== 'ready'} onClick={() => void toggle()}>{playing ? `❚❚ ${t('player.pause')}` : `▶ ${t('player.play')}`}</button>
        <button name="forward" onClick={() => seek((audio.current?.currentTime ?? 0) * 1000 + 5000)}>{t('player.forward')}</button>
        <label>{t('player.speed')} <select name="speed" value={speed} onChange={(e) => setSpeedTo(Number(e.target.value))}>{SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}</select></label>
        <small>{t('player.shortcuts')}</small>
      </div>
      <h3>{t('player.marks')}</h3>
      <ol className="player-marks" data-testid="player-marks">
        {info.marks.map((m) => (
          <li key={m.id}><button name={`mark-${m.id}`} onClick={() => jump(m)}>{fmtClock(m.timelineMs)}</button> {t(`marks.${m.kind}`)} {m.seat ? seatLabel(m.seat) : ''} {m.participant ?? ''} {m.text ?? ''}</li>
        ))}
      </ol>
      <p className="message">{message}</p>
    </div>
  );
}
