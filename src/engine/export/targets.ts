import { existsSync, readdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import type { MediumChoice } from '../../shared/api/contract.js';


const STICK_TYPES = new Set(['vfat', 'msdos', 'exfat', 'ntfs', 'ntfs3', 'fuseblk']);
const REMOVABLE_ROOTS = ['/media/', '/run/media/', '/mnt/'];

/**
 * The optical drives and the mounted USB sticks of this PC (Linux: the
 * `/dev/sr*` drives; the FAT, exFAT and NTFS file systems mounted under
 * /media, /run/media or /mnt), and the folder ISO images go to. On Windows
 * the drives come from IMAPI2 (native/windows/burn-imapi2.ps1 -List).
 */
export function localTargets(isoFolder: string, mounts = '/proc/mounts'): MediumChoice[] {
  const out: MediumChoice[] = [];
  if (existsSync('/dev')) {
    for (const n of readdirSync('/dev').filter((x) => /^sr\d+$/.test(x)).sort()) out.push({ kind: 'disc', path: `/dev/${n}`, label: `/dev/${n}` });
  }
  if (existsSync(mounts)) {
    for (const line of readFileSync(mounts, 'utf8').split('\n')) {
      const [, where, type] = line.split(' ');
      if (!where || !type || !STICK_TYPES.has(type)) continue;
      const path = where.replace(/\\040/g, ' ');
      if (!REMOVABLE_ROOTS.some((r) => path.startsWith(r))) continue;
      try {
        const s = statfsSync(path);
        out.push({ kind: 'folder', path, label: `${path} (${type})`, freeBytes: s.bavail * s.bsize, fat: type === 'vfat' || type === 'msdos' });
      } catch {
        continue; // a stick pulled out between the listing and the look: not offered
      }
    }
  }
  out.push({ kind: 'iso', path: isoFolder, label: join(isoFolder, '…iso') });
  return out;
}
