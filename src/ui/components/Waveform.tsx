import { useEffect, useRef } from 'react';
import type { MarkView } from '../../shared/api/contract.js';

/**
 * The sitting's waveform from the precomputed peaks (never decoded in the
 * browser), the marks on it, and a playhead; a click seeks.
 */
export function Waveform({ peaks, perSecond, durationMs, marks, media, onSeek }: {
  peaks: Uint8Array | undefined; perSecond: number; durationMs: number; marks: MarkView[]; media: React.RefObject<HTMLMediaElement | null>; onSeek: (ms: number) => void;
}): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const head = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    c.width = c.clientWidth * devicePixelRatio;
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, c.width, c.height);
    const mid = c.height / 2;
    if (peaks && peaks.length) {
      ctx.fillStyle = '#4a6fa5';
      const per = peaks.length / c.width;
      for (let x = 0; x < c.width; x++) {
        let m = 0;
        for (let i = Math.floor(x * per); i < Math.min(peaks.length, Math.floor((x + 1) * per) + 1); i++) m = Math.max(m, peaks[i]!);
        const h = (m / 255) * mid;
        ctx.fillRect(x, mid - h, 1, Math.max(1, 2 * h));
      }
    }
    ctx.fillStyle = '#c62828';
    const total = durationMs || (peaks ? (peaks.length / perSecond) * 1000 : 1);
    marks.forEach((m) => ctx.fillRect(Math.round((m.timelineMs / total) * c.width), 0, 2 * devicePixelRatio, c.height));
  }, [peaks, marks, durationMs, perSecond]);
  useEffect(() => {
    let raf = 0;
    const move = (): void => {
      const el = media.current;
      if (el && head.current && durationMs > 0) head.current.style.left = `${Math.min(100, ((el.currentTime * 1000) / durationMs) * 100)}%`;
      raf = requestAnimationFrame(move);
    };
    raf = requestAnimationFrame(move);
    return () => cancelAnimationFrame(raf);
  }, [durationMs, media]);
  return (
    <div className="waveform" data-testid="waveform" onClick={(e) => {
      const r = e.currentTarget.getBoundingClientRect();
      onSeek(((e.clientX - r.left) / r.width) * durationMs);
    }}>
      <canvas ref={canvas} height={120} />
      <div ref={head} className="playhead" />
    </div>
  );
}
