import { posix } from 'node:path';
import { AbkError, appError } from '../../shared/result.js';

/**
 * The path on the server of a sitting's file: the server's root, then the
 * same year/case/sitting folders as on this PC. Every part is checked, so a
 * case number or a file name can never lead out of the root (`..`, `/`, `\`,
 * control characters), whatever a restored or hand-copied folder contains.
 */
export function remotePathOf(root: string, relDir: string, file: string): string {
  const parts = [...relDir.split('/'), file];
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..' || /[/\\\u0000-\u001f\u007f]/.test(part)) {
      throw new AbkError(appError('remote-path-unsafe', `"${relDir}/${file}" cannot be copied: the name part "${part}" could leave the server's folder.`,
        `«${relDir}/${file}» нельзя копировать: часть имени «${part}» выводит за папку сервера.`,
        `«${relDir}/${file}» көшіруге болмайды: «${part}» бөлігі сервер қалтасынан шығарады.`));
    }
  }
  const base = posix.normalize(root).replace(/\/+$/, '') || '/';
  const path = posix.join(base, ...parts);
  if (!path.startsWith(base === '/' ? '/' : `${base}/`)) throw new Error(`remote path ${path} is outside ${base}`);
  return path;
}

/** A string as one argument for the server's POSIX shell. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
