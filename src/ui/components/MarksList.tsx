import { useTranslation } from 'react-i18next';
import type { MarkView } from '../../shared/api/contract.js';
import type { PendingMark } from '../screens/use-marks.js';
import { fmtClock, fmtWall, useSeatLabel } from './common.js';

/**
 * The sitting's marks, newest first. A mark being saved is drawn apart from a
 * saved one (dashed, "saving…", no timeline position yet); one the engine did
 * not save is red with a Retry button, and stays until it is saved.
 */
export function MarksList({ marks, pending = [], onRetry }: { marks: MarkView[]; pending?: PendingMark[]; onRetry?: (ref: string) => void }): React.JSX.Element {
  const { t } = useTranslation();
  const seatLabel = useSeatLabel();
  const who = (m: { seat?: string; participant?: string; text?: string }): string => `${m.seat ? seatLabel(m.seat) : ''} ${m.participant ?? ''} ${m.text ?? ''}`;
  return (
    <section className="marks">
      <h3>{t('console.marks')}</h3>
      <ol data-testid="marks">
        {[...pending].reverse().map((p) => (
          <li key={`p-${p.ref}`} className={`mark-${p.state}`} data-pending={p.state} data-kind={p.kind}>
            <span className="at">{p.state === 'saving' ? t('console.markSaving') : t('console.markFailed')}</span> <span className="wall">{fmtWall(p.pressedWallMs).slice(-8)}</span>{' '}
            <strong>{t(`marks.${p.kind}`)}</strong> {who(p)}
            {p.state === 'failed' && onRetry && <button name="retry-mark" onClick={() => onRetry(p.ref)}>{t('console.markRetry')}</button>}
          </li>
        ))}
        {[...marks].reverse().map((m) => (
          <li key={m.id} data-mark-id={m.id} data-kind={m.kind}>
            <span className="at">{fmtClock(m.timelineMs)}</span> <span className="wall">{fmtWall(m.wallMs).slice(-8)}</span>{' '}
            <strong>{t(`marks.${m.kind}`)}</strong> {who(m)}
          </li>
        ))}
      </ol>
    </section>
  );
}
