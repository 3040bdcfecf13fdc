import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ioError } from '../../shared/io-error.js';
import { AbkError } from '../../shared/result.js';

/** Create the sitting's folder and prove it can be written, before anything is recorded. */
export function prepareFolder(root: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    // access() says yes to root on a read-only mount: prove it by writing.
    const probe = join(dir, '.write-test');
    writeFileSync(probe, 'ok');
    unlinkSync(probe);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // mkdir -p answers ENOENT when a part of the path cannot be created (a read-only or absent disk).
    throw new AbkError(ioError(err.code === 'ENOENT' ? Object.assign(err, { code: 'EROFS' }) : err, root));
  }
}

/** Write and flush to the device before returning. */
export function writeFileDurable(path: string, text: string | Uint8Array): void {
  writeFileSync(path, text);
  const fd = openSync(path, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

/** Write, flush, then rename: the file is either the old one or the whole new one. */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileDurable(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}
