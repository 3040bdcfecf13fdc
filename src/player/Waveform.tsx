import { useEffect, useRef } from 'react';

/**
 * The sitting's waveform from peaks computed elsewhere (never decoded in the
 * browser), the marks on it, and a playhead; a click seeks.
 */
export function Waveform({ peaks, perSecond, durationMs, marks, timeMs, onSeek }: {
  peaks: Uint8Array | undefined; perSecond: number; durationMs: number; marks: { atMs: number }[]; timeMs: () => number; onSeek: (ms: number) => void;
}): React.JSX.Element {
  const canvas = useRef<HTMLCanvasElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const time = useRef(timeMs);
  time.current = timeMs;
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
    marks.forEach((m) => ctx.fillRect(Math.round((m.atMs / total) * c.width), 0, 2 * devicePixelRatio, c.height));
  }, [peaks, marks, durationMs, perSecond]);
  useEffect(() => {
    let raf = 0;
    const move = (): void => {
      if (head.current && durationMs > 0) head.current.style.left = `${Math.min(100, (time.current() / durationMs) * 100)}%`;
      raf = requestAnimationFrame(move);
    };
    raf = requestAnimationFrame(move);
    return () => cancelAnimationFrame(raf);
  }, [durationMs]);
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
