import { AbkError, appError } from '../../shared/result.js';
import type { MediumEntry } from './medium-files.js';

/** Room kept on each disc for the medium's own files (the player, the index, the README) and the file system. */
export const DISC_RESERVE = 8 * 1024 * 1024;

/**
 * The packages' files spread over as few discs of `perDisc` bytes as whole
 * files allow (biggest first, each on the first disc it fits): the control
 * files (each sitting's manifest, seal, checksum lists, guide) go on every
 * disc, so each disc can be checked and understood alone.
 */
export function spread(entries: MediumEntry[], perDisc: number, blockOf: (e: MediumEntry) => number): MediumEntry[][] {
  const control = entries.filter((e) => e.control);
  const room = perDisc - DISC_RESERVE - control.reduce((n, e) => n + blockOf(e), 0);
  const media = entries.filter((e) => !e.control).sort((a, b) => b.bytes - a.bytes);
  const discs: { left: number; files: MediumEntry[] }[] = [];
  for (const e of media) {
    const need = blockOf(e);
    if (need > room) {
      throw new AbkError(appError('export-file-too-big-disc', `${e.path} (${(e.bytes / 1e9).toFixed(2)} GB) does not fit on one disc of ${(perDisc / 1e9).toFixed(2)} GB: use a bigger disc or a USB stick. Nothing was written.`,
        `${e.path} (${(e.bytes / 1e9).toFixed(2)} ГБ) не помещается на один диск ${(perDisc / 1e9).toFixed(2)} ГБ: возьмите диск больше или USB-накопитель. Ничего не записано.`,
        `${e.path} (${(e.bytes / 1e9).toFixed(2)} ГБ) бір ${(perDisc / 1e9).toFixed(2)} ГБ дискіге сыймайды: үлкенірек дискі не USB жинақтауыш алыңыз. Ештеңе жазылмады.`));
    }
    let d = discs.find((x) => x.left >= need);
    if (!d) { d = { left: room, files: [] }; discs.push(d); }
    d.files.push(e);
    d.left -= need;
  }
  if (discs.length === 0) discs.push({ left: room, files: [] });
  return discs.map((d) => [...d.files, ...control]);
}
