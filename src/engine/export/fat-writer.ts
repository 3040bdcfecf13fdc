import { execFile, spawn } from 'node:child_process';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import { StreamHasher } from '../../capture/audio/stream-hasher.js';
import { AbkError, appError } from '../../shared/result.js';
import { FOUR_GIB } from './plan.js';
import type { MediumEntry } from './medium-files.js';
import type { MediumWriter, ReadBackFinding } from './writer.js';

const run = promisify(execFile);
const ENV = { ...process.env, MTOOLS_SKIP_CHECK: '1' };

/**
 * A FAT stick (or its image) that is not mounted, written with mtools: the
 * same steps as a mounted folder (a partial folder, every file read back
 * from the medium and held to its hashes, then renamed), with nothing
 * mounted and no root needed. FAT holds no file of 4 GiB or more.
 */
export class FatImageWriter implements MediumWriter {
  readonly kind = 'fat-image' as const;
  readonly maxFileBytes = FOUR_GIB - 1;
  private readonly partial: string;
  private cluster = 4096;

  /** `image`: the device or image file; `folder`: the copy's folder at its root. */
  constructor(private readonly image: string, private readonly folder: string) {
    this.partial = `${folder}.partial`;
  }

  get where(): string {
    return `${this.image}::/${this.folder}`;
  }

  async capacity(): Promise<number> {
    const info = await this.m('minfo', ['::']);
    if (!/disk type="FAT/.test(info)) throw failed(`${this.image} is not a FAT filesystem`);
    const sector = Number(/sector size: (\d+) bytes/.exec(info)?.[1] ?? 512);
    this.cluster = sector * Number(/cluster size: (\d+) sectors/.exec(info)?.[1] ?? 8);
    const dir = await this.m('mdir', ['::/']);
    const free = /([\d ]+) bytes free/.exec(dir)?.[1];
    if (free === undefined) throw failed(`mdir did not tell the free space of ${this.image}`);
    return Number(free.replace(/ /g, ''));
  }

  needs(entries: MediumEntry[]): number {
    return entries.reduce((n, e) => n + Math.ceil(e.bytes / this.cluster) * this.cluster + this.cluster, 0);
  }

  async write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void> {
    await this.discard();
    const folders = new Set<string>();
    for (const e of entries) for (let d = posix.dirname(e.path); d !== '.'; d = posix.dirname(d)) folders.add(d);
    await this.m('mmd', [`::/${this.partial}`, ...[...folders].sort((a, b) => a.length - b.length).map((d) => `::/${this.partial}/${d}`)]);
    const total = entries.reduce((n, e) => n + e.bytes, 0) || 1;
    let done = 0;
    for (const e of entries) {
      await this.m('mcopy', ['-D', 'o', e.source, `::/${this.partial}/${e.path}`]);
      done += e.bytes;
      onFraction(done / total);
    }
  }

  async readBack(entries: MediumEntry[], onFraction: (f: number) => void): Promise<ReadBackFinding[]> {
    const total = entries.reduce((n, e) => n + e.bytes, 0) || 1;
    let done = 0;
    const out: ReadBackFinding[] = [];
    for (const e of entries) {
      const h = await this.hash(`::/${this.partial}/${e.path}`);
      done += e.bytes;
      onFraction(done / total);
      if ('error' in h) out.push({ path: e.path, status: /not found/i.test(h.error) ? 'missing' : 'unreadable', detail: h.error });
      else if (h.bytes !== e.bytes || h.md5 !== e.md5 || h.sha256 !== e.sha256) out.push({ path: e.path, status: 'changed', detail: `${h.bytes} bytes, MD5 ${h.md5}; expected ${e.bytes} bytes, MD5 ${e.md5}` });
    }
    return out;
  }

  async commit(): Promise<string> {
    await this.m('mren', [`::/${this.partial}`, `::/${this.folder}`]);
    return this.where;
  }

  async discard(): Promise<void> {
    const list = await this.m('mdir', ['-b', '::/']);
    if (list.split('\n').some((l) => l.trim() === `::/${this.partial}`)) await this.m('mdeltree', [`::/${this.partial}`]);
  }

  private async m(tool: string, args: string[]): Promise<string> {
    try {
      return (await run(tool, ['-i', this.image, ...args], { env: ENV, maxBuffer: 16 << 20 })).stdout;
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string };
      if (err.code === 'ENOENT') throw failed(`${tool} is not installed: apt-get install mtools`);
      throw failed(`${tool} ${args.join(' ')}: ${(err.stderr ?? err.message).trim().split('\n').slice(0, 2).join(' / ')}`);
    }
  }

  /** A file's bytes streamed out of the image (mtype) and hashed. */
  private hash(path: string): Promise<{ md5: string; sha256: string; bytes: number } | { error: string }> {
    return new Promise((resolve) => {
      const child = spawn('mtype', ['-i', this.image, path], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
      const h = new StreamHasher();
      let err = '';
      child.stdout.on('data', (c: Buffer) => h.update(c));
      child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
      child.on('error', (e) => resolve({ error: e.message }));
      child.on('close', (code) => resolve(code === 0 ? { ...h.digest(), bytes: h.bytes } : { error: err.trim() || `mtype ended with code ${code}` }));
    });
  }
}

function failed(detail: string): AbkError {
  return new AbkError(appError('export-fat-failed',
    'Writing to the USB stick failed. The recordings are untouched; check the stick (FAT32, exFAT or NTFS, not write-protected), then write again.',
    'Запись на USB-накопитель не удалась. Записи не тронуты; проверьте накопитель (FAT32, exFAT или NTFS, без защиты от записи) и запишите снова.',
    'USB жинақтауышқа жазу сәтсіз аяқталды. Жазбалар өзгермеді; жинақтауышты тексеріп (FAT32, exFAT не NTFS, жазудан қорғалмаған), қайта жазыңыз.', detail));
}
