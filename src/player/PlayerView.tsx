import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtClock, useSeatLabel } from '../ui/components/common.js';
import { Waveform } from './Waveform.js';
import { gainsOf, type PlayerAudio } from './player-audio.js';

const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2];
interface TrackState { solo: boolean; mute: boolean; volume: number }

/** A mark as the player shows it: `atMs` in the sound's time, `wallMs` the wall clock then. */
export interface PlayerMark { id: number; kind: string; atMs: number; wallMs: number; seat?: string; participant?: string; text?: string }

export interface PlayerViewProps {
  title: string;
  tracks: { seat: string }[];
  marks: PlayerMark[];
  audio: PlayerAudio | undefined;
  /** The waveform's peaks (0–255), `perSecond` of them, over `lengthMs`. */
  peaks: Uint8Array | undefined;
  perSecond: number;
  lengthMs: number;
  video?: { src: string; offsetS: number } | undefined;
  /** Above the controls: progress, what to do first. */
  header?: React.ReactNode;
  /** Under the marks: a copy's verification, say. */
  footer?: React.ReactNode;
}

/**
 * The judge's player, one code in the app and on a disc: each microphone
 * alone or with others (solo, mute, volume), the video beside it, the
 * waveform with the marks, jump to a mark and to a participant's next or
 * previous one, the wall clock beside the media time, 0.5×–2× with the
 * pitch kept, and keys for all of it. What plays the sound is `audio`.
 */
export function PlayerView(p: PlayerViewProps): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const [tracks, setTracks] = useState<TrackState[]>([]);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [who, setWho] = useState('');
  const [, setTick] = useState(0);
  const video = useRef<HTMLVideoElement>(null);
  const position = useRef<HTMLSpanElement>(null);
  const audio = p.audio;

  useEffect(() => setTracks((old) => (old.length === p.tracks.length ? old : p.tracks.map(() => ({ solo: false, mute: false, volume: 1 })))), [p.tracks.length]);
  useEffect(() => {
    if (!audio) return;
    audio.onPlaying(setPlaying);
    audio.setSpeed(speed);
    setPlaying(audio.playing());
  }, [audio]);
  useEffect(() => audio?.setGains(gainsOf(tracks)), [tracks, audio]);

  const syncVideo = (): void => {
    const v = video.current;
    if (!audio || !v) return;
    const want = audio.currentMs() / 1000 + (p.video?.offsetS ?? 0);
    v.playbackRate = speed;
    if (Math.abs(v.currentTime - want) > 0.25) v.currentTime = want;
    // the video is a muted follower: one that will not play (a browser's media policy) is seen standing, the sound goes on
    if (audio.playing() === v.paused) void (audio.playing() ? v.play().catch(() => undefined) : v.pause());
  };
  useEffect(() => {
    const timer = window.setInterval(() => { syncVideo(); setTick((n) => n + 1); }, 250);
    return () => window.clearInterval(timer);
  });

  // the exact position, for a test or a tool, at every frame (the text follows at the quarter-second tick)
  useEffect(() => {
    let raf = 0;
    const show = (): void => {
      const el = position.current;
      if (el && audio) el.dataset.ms = String(Math.round(audio.currentMs())); // the text is React's, at its tick
      raf = requestAnimationFrame(show);
    };
    raf = requestAnimationFrame(show);
    return () => cancelAnimationFrame(raf);
  }, [audio]);

  const toggle = async (): Promise<void> => {
    if (!audio) return;
    if (audio.playing()) audio.pause(); else await audio.play();
    syncVideo();
  };
  const seek = (ms: number): void => {
    audio?.seek(Math.max(0, ms));
    syncVideo();
    setTick((n) => n + 1); // the position shown at once, not at the next tick
  };
  const setSpeedTo = (s: number): void => {
    setSpeed(s);
    audio?.setSpeed(s);
  };
  const solo = (i: number): void => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, solo: !x.solo } : x)));
  const all = (): void => setTracks((ts) => ts.map((x) => ({ ...x, solo: false, mute: false })));
  const whoOf = (m: PlayerMark): string => m.participant ?? m.seat ?? '';
  const people = [...new Set(p.marks.filter((m) => m.kind === 'floor').map(whoOf).filter(Boolean))];
  const step = (dir: 1 | -1): void => {
    const now = audio?.currentMs() ?? 0;
    const theirs = p.marks.filter((m) => m.kind === 'floor' && whoOf(m) === who);
    const next = dir === 1 ? theirs.find((m) => m.atMs > now + 500) : [...theirs].reverse().find((m) => m.atMs < now - 500);
    if (next) seek(next.atMs);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      const now = audio?.currentMs() ?? 0;
      if (e.key === ' ') { e.preventDefault(); void toggle(); }
      else if (e.key === 'ArrowLeft') seek(now - 5000);
      else if (e.key === 'ArrowRight') seek(now + 5000);
      else if (/^[1-9]$/.test(e.key)) solo(Number(e.key) - 1);
      else if (e.key === '0') all();
      else if (e.key === '[') setSpeedTo(SPEEDS[Math.max(0, SPEEDS.indexOf(speed) - 1)]!);
      else if (e.key === ']') setSpeedTo(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.indexOf(speed) + 1)]!);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const now = audio?.currentMs() ?? 0;
  const before = [...p.marks].reverse().find((m) => m.atMs <= now) ?? p.marks[0];
  const wall = before ? before.wallMs + (now - before.atMs) : undefined;
  const perMic = audio?.perMicrophone === true;
  return (
    <div className="screen player">
      <h2>{p.title}</h2>
      {p.header}
      <div className="player-top">
        {p.video && <video ref={video} src={p.video.src} muted preload="metadata" className="player-video" />}
        <div className="tracks">
          <button name="mix" onClick={all} className={tracks.some((x) => x.solo || x.mute) ? '' : 'on'}><kbd>0</kbd> {t('player.mix')}</button>
          {p.tracks.map((tr, i) => (
            <div key={i} className="track" data-track={i + 1}>
              <span className="track-name">{i + 1}. {seatLabel(tr.seat)}</span>
              <button name={`solo-${i + 1}`} disabled={!perMic} className={tracks[i]?.solo ? 'on' : ''} onClick={() => solo(i)}>{i < 9 && <kbd>{i + 1}</kbd>} {t('player.solo')}</button>
              <button name={`mute-${i + 1}`} disabled={!perMic} className={tracks[i]?.mute ? 'on' : ''} onClick={() => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, mute: !x.mute } : x)))}>{t('player.mute')}</button>
              <input type="range" min={0} max={2} step={0.05} disabled={!perMic} value={tracks[i]?.volume ?? 1} aria-label={t('player.volume')}
                onChange={(e) => setTracks((ts) => ts.map((x, j) => (j === i ? { ...x, volume: Number(e.target.value) } : x)))} />
            </div>
          ))}
        </div>
      </div>
      <Waveform peaks={p.peaks} perSecond={p.perSecond} durationMs={p.lengthMs} marks={p.marks} timeMs={() => audio?.currentMs() ?? 0} onSeek={seek} />
      <div className="transport">
        <button name="back" onClick={() => seek(now - 5000)}>{t('player.back')}</button>
        <button name="play" className="primary big" disabled={!audio} onClick={() => void toggle()}>{playing ? `❚❚ ${t('player.pause')}` : `▶ ${t('player.play')}`}</button>
        <button name="forward" onClick={() => seek(now + 5000)}>{t('player.forward')}</button>
        <span ref={position} className="clock" data-testid="position" data-ms={Math.round(now)}>{fmtClock(now)}</span>
        {wall !== undefined && <span className="clock wall" data-testid="wall-clock">{new Date(wall).toLocaleTimeString('ru-RU', { timeZone: 'Asia/Almaty', hour12: false })}</span>}
        <label>{t('player.speed')} <select name="speed" value={speed} onChange={(e) => setSpeedTo(Number(e.target.value))}>{SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}</select></label>
        <small>{t('player.shortcuts')}</small>
      </div>
      <h3>{t('player.marks')}</h3>
      {people.length > 0 && (
        <div className="mark-steps">
          <select name="participant" value={who} onChange={(e) => setWho(e.target.value)} aria-label={t('player.participant')}>
            <option value="">{t('player.participant')}</option>
            {people.map((x) => <option key={x} value={x}>{seatLabel(x) || x}</option>)}
          </select>
          <button name="previous-mark" disabled={!who} onClick={() => step(-1)}>◀ {t('player.previous')}</button>
          <button name="next-mark" disabled={!who} onClick={() => step(1)}>{t('player.next')} ▶</button>
        </div>
      )}
      <ol className="player-marks" data-testid="player-marks">
        {p.marks.map((m) => (
          <li key={m.id}><button name={`mark-${m.id}`} onClick={() => seek(m.atMs)}>{fmtClock(m.atMs)}</button> {t(`marks.${m.kind}`)} {m.seat ? seatLabel(m.seat) : ''} {m.participant ?? ''} {m.text ?? ''}</li>
        ))}
      </ol>
      {p.footer}
    </div>
  );
}
