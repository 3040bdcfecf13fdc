import { FINDING_TEXT, HEALTH_TEXT, PROTOCOL_TEXT, type ProtocolLanguage } from '../../shared/protocol-labels.js';
import type { Finding, SelfTest } from '../../shared/health.js';
import type { Manifest } from '../finalize/manifest.js';
import { clock, seatName } from './words.js';

type Line = { from: string; to: string; lasted: string; what: string };

/** A microphone's stem, a camera's id or a sound card, as the protocol names it: "микрофон 3 (Прокурор)". */
function namer(m: Manifest, l: ProtocolLanguage): (f: Pick<Finding, 'source' | 'subject'>) => string {
  const mics = new Map(m.files.flatMap((f) => (f.microphone ? [[f.microphone.stem, f.microphone] as const] : [])));
  return ({ source, subject }) => {
    const mic = mics.get(subject);
    if (mic) return `${PROTOCOL_TEXT.microphone[l]} ${mic.number} (${seatName(mic.seat, l)})`;
    if (source === 'camera') return `${HEALTH_TEXT.camera[l]} ${subject}`;
    return subject;
  };
}

function selfTestLine(t: SelfTest | null, l: ProtocolLanguage, name: (f: Pick<Finding, 'source' | 'subject'>) => string): string {
  if (!t) return HEALTH_TEXT.noSelfTest[l];
  const parts = [
    ...t.microphones.map((x) => `${name({ source: 'audio', subject: x.stem })} — ${HEALTH_TEXT[x.result][l]}`),
    ...t.cameras.map((c) => `${name({ source: 'camera', subject: c.id })} — ${HEALTH_TEXT[c.result][l]}`),
    `${HEALTH_TEXT.disk[l]} — ${HEALTH_TEXT[t.disk.result][l]}, ${HEALTH_TEXT.hoursLeft[l].replace('{v}', String(t.disk.hoursLeft))}`,
    ...t.servers.map((x) => `${HEALTH_TEXT.servers[l]} ${x.id} — ${HEALTH_TEXT[x.result][l]}`),
    `${HEALTH_TEXT.clock[l]} — ${HEALTH_TEXT[t.clock][l]}`,
  ];
  // `2026-12-07 09:31:20` as dates are written in Kazakhstan
  const at = t.at.replace(/^(\d{4})-(\d\d)-(\d\d)/, '$3.$2.$1');
  return `${HEALTH_TEXT.selfTest[l]} (${at}): ${parts.join('; ')}.`;
}

/**
 * The completeness section's account of the equipment: each finding with its
 * clock times, how long it lasted and what it concerned; the seats not
 * watched because they were unused; the self-test before the sitting.
 */
export function healthLines(m: Manifest, l: ProtocolLanguage, wallAt: (ms: number) => string): { health: Line[]; healthNone: string; selfTest: string } {
  const name = namer(m, l);
  const h = m.health;
  const findings: Line[] = (h?.findings ?? []).map((f) => {
    const instant = f.toMs === f.fromMs;
    const to = f.toMs === null ? HEALTH_TEXT.untilEnd[l] : instant ? '' : wallAt(f.toMs);
    const end = f.toMs ?? m.mediaDurationMs + m.pauses.reduce((n, p) => n + p.toMs - p.fromMs, 0);
    return {
      from: wallAt(f.fromMs), to, lasted: instant ? '' : clock(Math.max(0, end - f.fromMs)),
      what: `${name(f)}: ${FINDING_TEXT[f.code][l].replace('{v}', String(f.value ?? ''))}`,
    };
  });
  const unwatched: Line[] = (h?.unwatched ?? []).map((stem) => ({ from: '', to: '', lasted: '', what: `${name({ source: 'audio', subject: stem })}: ${HEALTH_TEXT.unwatched[l]}` }));
  return {
    health: [...findings, ...unwatched],
    healthNone: findings.length === 0 ? HEALTH_TEXT.none[l] : '',
    selfTest: selfTestLine(h?.selfTest ?? null, l, name),
  };
}
