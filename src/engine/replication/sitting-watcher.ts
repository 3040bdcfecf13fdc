import { watch } from 'chokidar';
import { basename, dirname, relative, sep } from 'node:path';
import { fileNames } from '../../shared/naming.js';

/**
 * Watches the recordings root for finished sittings: a `year/case/sitting/MD5SUMS`
 * that appears or changes (finalize and the protocol put it in place in one
 * rename, so it is whole when seen). At start every existing one is reported,
 * which is how sittings restored or copied in by IT reach the outbox. Working
 * folders (`.work`, `.player`, anything starting with a dot) are not watched.
 */
export function watchFinishedSittings(root: string, onSitting: (dir: string) => void): { ready: Promise<void>; close: () => Promise<void> } {
  const sums = fileNames.md5sums();
  const watcher = watch(root, {
    depth: 3,
    ignoreInitial: false,
    ignored: (path, stats) => {
      const rel = relative(root, path);
      if (rel === '') return false;
      const parts = rel.split(sep);
      if (parts.some((p) => p.startsWith('.'))) return true;
      if (parts.length === 4) return parts[3] !== sums;
      return parts.length > 4 || (stats !== undefined && !stats.isDirectory());
    },
  });
  const seen = (path: string): void => { if (basename(path) === sums) onSitting(dirname(path)); };
  watcher.on('add', seen).on('change', seen).on('error', () => undefined);
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}
