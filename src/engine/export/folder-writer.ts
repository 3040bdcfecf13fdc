import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statfsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { hashAll } from '../package/hash-pool.js';
import { FOUR_GIB } from './plan.js';
import type { MediumEntry } from './medium-files.js';
import type { MediumWriter, ReadBackFinding } from './writer.js';

/** statfs's type of a FAT filesystem (MSDOS_SUPER_MAGIC): it holds no file of 4 GiB or more. */
const FAT_MAGIC = 0x4d44;
const CHUNK = 4 << 20;

/**
 * A mounted folder: a USB stick, or any folder. The copy is written into
 * `<name>.partial` beside its final name, every file and folder flushed to
 * the device (fsync), read back and held to its hashes, then renamed to its
 * name. Anything that fails removes the partial folder: nothing half-written
 * looks like a copy. (A read-back right after writing may be served from the
 * memory cache: to check the stick itself, take it out and run
 * `abk verify` on it, or press "Verify this copy" in its player.)
 */
export class FolderWriter implements MediumWriter {
  readonly kind = 'folder' as const;
  readonly maxFileBytes: number;
  readonly fat: boolean;
  private readonly partial: string;

  /** `where`: the copy's folder, which must not exist yet; its parent is the stick (or the folder written to). */
  constructor(readonly where: string) {
    this.partial = `${where}.partial`;
    this.fat = statfsSync(dirname(where)).type === FAT_MAGIC;
    this.maxFileBytes = this.fat ? FOUR_GIB - 1 : Number.MAX_SAFE_INTEGER;
  }

  capacity(): Promise<number> {
    const s = statfsSync(dirname(this.where));
    return Promise.resolve(s.bavail * s.bsize);
  }

  needs(entries: MediumEntry[]): number {
    const block = statfsSync(dirname(this.where)).bsize;
    return entries.reduce((n, e) => n + Math.ceil(e.bytes / block) * block + block, 0);
  }

  async write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void> {
    rmSync(this.partial, { recursive: true, force: true });
    const total = entries.reduce((n, e) => n + e.bytes, 0) || 1;
    let done = 0;
    const folders = new Set<string>([this.partial]);
    mkdirSync(this.partial);
    for (const e of entries) {
      const to = join(this.partial, e.path);
      for (let d = dirname(to); !folders.has(d); d = dirname(d)) folders.add(d);
      mkdirSync(dirname(to), { recursive: true });
      await copyDurable(e.source, to, (n) => { done += n; onFraction(done / total); });
    }
    for (const d of [...folders].sort((a, b) => b.length - a.length)) fsyncFolder(d);
    fsyncFolder(dirname(this.partial));
  }

  readBack(entries: MediumEntry[], onFraction: (f: number) => void): Promise<ReadBackFinding[]> {
    return new FolderReadBack(this.partial).check(entries, onFraction);
  }

  commit(): Promise<string> {
    renameSync(this.partial, this.where);
    fsyncFolder(dirname(this.where));
    return Promise.resolve(this.where);
  }

  discard(): Promise<void> {
    if (existsSync(this.partial)) rmSync(this.partial, { recursive: true, force: true });
    return Promise.resolve();
  }
}

/** Every file under a folder (a stick's copy, a disc's drive) hashed again and held to what was written. */
export class FolderReadBack {
  constructor(readonly root: string) {}

  async check(entries: MediumEntry[], onFraction: (f: number) => void): Promise<ReadBackFinding[]> {
    const total = entries.reduce((n, e) => n + e.bytes, 0) || 1;
    let done = 0;
    const got = await hashAll(entries.map((e) => ({ path: join(this.root, e.path), bytes: e.bytes })), undefined, (n) => { done += n; onFraction(done / total); });
    return entries.flatMap((e, i): ReadBackFinding[] => {
      const h = got[i]!;
      if (!h.ok) return [{ path: e.path, status: h.code === 'ENOENT' ? 'missing' : 'unreadable', detail: h.message }];
      if (h.bytes !== e.bytes || h.md5 !== e.md5 || h.sha256 !== e.sha256) return [{ path: e.path, status: 'changed', detail: `${h.bytes} bytes, MD5 ${h.md5}; expected ${e.bytes} bytes, MD5 ${e.md5}` }];
      return [];
    });
  }
}

/** Copy a file and flush it to the device before it counts as written. */
async function copyDurable(from: string, to: string, onBytes: (n: number) => void): Promise<void> {
  const src = await open(from, 'r');
  try {
    const dst = await open(to, 'wx');
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await src.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        let off = 0;
        while (off < bytesRead) off += (await dst.write(buf, off, bytesRead - off)).bytesWritten;
        onBytes(bytesRead);
      }
      await dst.sync();
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

/** A folder's entries flushed (a new file's name is in its folder, not in the file). Windows cannot open a folder to flush it: its writes there are flushed with the files. */
function fsyncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
