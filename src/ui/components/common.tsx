import { useTranslation } from 'react-i18next';
import type { AppError } from '../../shared/result.js';
import { SEAT_ROLES, type SeatRole } from '../../shared/seats.js';
import { ApiError } from '../api-client.js';

/** An engine error in the interface's language. */
export function useErrorText(): (e: unknown) => string {
  const { i18n } = useTranslation();
  return (e: unknown) => {
    const lang = (i18n.language as keyof AppError['message']) ?? 'en';
    if (e instanceof ApiError) return e.error.message[lang] ?? e.error.message.en;
    if (e && typeof e === 'object' && 'message' in e && typeof e.message === 'object') return (e as AppError).message[lang];
    return String((e as Error)?.message ?? e);
  };
}

export function useSeatLabel(): (seat: string | undefined) => string {
  const { i18n } = useTranslation();
  return (seat) => (seat ? SEAT_ROLES[seat as SeatRole]?.[i18n.language as 'ru' | 'kk' | 'en'] ?? seat : '');
}

export function ProgressBar({ fraction, label }: { fraction: number; label: string }): React.JSX.Element {
  const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
  return (
    <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100} aria-label={label}>
      <div className="progress-fill" style={{ width: `${pct}%` }} />
      <span>{label} — {pct}%</span>
    </div>
  );
}

export const fmtClock = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

export const fmtWall = (ms: number): string => new Date(ms).toLocaleString('ru-RU', { timeZone: 'Asia/Almaty', hour12: false });
