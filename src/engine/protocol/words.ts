import type { ProtocolLanguage } from '../../shared/protocol-labels.js';
import { SEAT_ROLES, type SeatRole } from '../../shared/seats.js';

/** How the protocol writes a duration and a seat: shared by its sections. */

/** `1:02:03` from milliseconds. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A seat's name in the language of proceedings (a seat not in the list as it is). */
export const seatName = (seat: string | undefined, l: ProtocolLanguage): string =>
  seat && seat in SEAT_ROLES ? SEAT_ROLES[seat as SeatRole][l] : (seat ?? '');
