import { useEffect, useRef } from 'react';
import type { SeatChannel } from '../../shared/api/contract.js';
import { engine } from '../store.js';
import { useSeatLabel } from './common.js';

const FLOOR_DB = -60;
/** A reading older than this is shown as silence: the input has stopped sending. */
const STALE_MS = 1500;

/**
 * A level meter per microphone with its seat's name, drawn on the screen's own
 * animation frames from the latest readings (no React render per reading),
 * with a falling peak hold. The meters count the frames they draw, in
 * `data-fps`, so the console's smoothness can be measured.
 */
export function Meters({ seats, big = false }: { seats: SeatChannel[]; big?: boolean }): React.JSX.Element {
  const boxRef = useRef<HTMLDivElement>(null);
  const seatLabel = useSeatLabel();
  useEffect(() => {
    const box = boxRef.current!;
    const canvases = [...box.querySelectorAll('canvas')];
    const shown = new Map<string, number>();
    let frames = 0;
    let since = performance.now();
    let raf = 0;
    const draw = (now: number): void => {
      canvases.forEach((c) => {
        const stem = c.dataset.stem!;
        const l = engine.levels.get(stem);
        const fresh = l && now - l.at < STALE_MS;
        const target = fresh ? Math.max(FLOOR_DB, l.peakDb) : FLOOR_DB;
        const prev = shown.get(stem) ?? FLOOR_DB;
        const value = target > prev ? target : prev - 0.6; // fast attack, slow release
        shown.set(stem, value);
        const ctx = c.getContext('2d')!;
        const w = c.width;
        const h = c.height;
        ctx.clearRect(0, 0, w, h);
        const frac = (value - FLOOR_DB) / -FLOOR_DB;
        ctx.fillStyle = value > -3 ? '#d32f2f' : value > -12 ? '#f9a825' : '#2e7d32';
        ctx.fillRect(0, 0, Math.max(0, frac) * w, h);
        c.parentElement!.classList.toggle('silent', !fresh);
      });
      frames++;
      if (now - since >= 1000) {
        box.dataset.fps = String(Math.round((frames * 1000) / (now - since)));
        frames = 0;
        since = now;
      }
      raf = requestAnimationFrame(draw);
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [seats]);
  return (
    <div ref={boxRef} className={big ? 'meters big' : 'meters'} data-testid="meters">
      {seats.map((s) => (
        <div key={s.stem} className="meter" data-stem={s.stem}>
          <span className="meter-label">{s.label ?? seatLabel(s.seat)}</span>
          <canvas data-stem={s.stem} width={240} height={big ? 18 : 12} />
        </div>
      ))}
    </div>
  );
}
