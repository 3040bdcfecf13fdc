import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MediumContents, MediumFile, MediumIndex, MediumKind } from '../../shared/medium-format.js';
import { caseSlug, uniqueName } from '../../shared/naming.js';
import { AbkError, appError, toAppError } from '../../shared/result.js';
import { FatImageWriter } from './fat-writer.js';
import { FolderWriter } from './folder-writer.js';
import { ImapiDiscWriter, type ImapiRun } from './imapi.js';
import { discBytes, DiscWriter, IsoFileWriter, volumeId } from './iso-writer.js';
import { ownEntries, packageEntries } from './medium-files.js';
import { spread } from './spread.js';
import { listeningPlan } from './listening.js';
import { planExport, type ExportPlan } from './plan.js';
import type { MediumWriter, ReadBackFinding } from './writer.js';

export type ExportTarget = { kind: 'iso'; file: string } | { kind: 'disc'; drive: string } | { kind: 'folder'; dir: string } | { kind: 'fat-image'; image: string };

export interface ExportProgress { stage: 'preparing' | 'writing' | 'checking'; fraction: number; secondsLeft: number | undefined }

export interface ExportOptions {
  xorriso: string;
  contents?: MediumContents;
  onProgress?: (p: ExportProgress) => void;
  /** For a listening copy's MP3s. */
  ffmpeg?: string;
  /** What one disc holds (an ISO image's size limit; a drive's disc by default): a bigger copy is spread over a set. */
  discBytes?: number;
  /** Burn discs through Windows IMAPI2 (the default on Windows): the PowerShell and, for a test, the script that stands in for it. */
  imapi?: ImapiRun;
  /** Before disc k (from 2) of a set in a drive: wait for the next blank disc. */
  nextDisc?: (k: number, of: number) => Promise<void>;
}

export interface ExportDone {
  kind: MediumKind;
  where: string;
  files: number;
  bytes: number;
  index: MediumIndex;
  /** How many discs (or images) the set took: 1 for a stick. */
  discs: number;
  writeSeconds: number;
  checkSeconds: number;
}

const GB = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;

/**
 * Write finished sittings to a medium with the portable player, read every
 * file back from the medium and hold it to the sealed manifest, and only
 * then leave it looking complete. Nothing of the sittings is ever written.
 * A file too big for the medium, or a copy bigger than its free space, is
 * refused before anything is written.
 */
export async function exportSittings(dirs: string[], target: ExportTarget, o: ExportOptions): Promise<ExportDone> {
  const full = planExport(dirs);
  const contents = o.contents ?? 'original';
  const probe = writerFor(target, full, o, { number: 1, of: 1 });
  const tooBig = contents === 'original' && full.largest && full.largest.bytes > probe.maxFileBytes ? full.largest : undefined;
  if (tooBig) throw fileTooBig(probe, tooBig.path, tooBig.bytes);
  const scratch = mkdtempSync(join(tmpdir(), 'abk-export-'));
  const started = performance.now();
  const tell = (stage: ExportProgress['stage'], fraction: number): void => {
    const s = (performance.now() - started) / 1000;
    o.onProgress?.({ stage, fraction, secondsLeft: fraction > 0.02 ? Math.round((s / fraction) * (1 - fraction)) : undefined });
  };
  const written: MediumWriter[] = [];
  try {
    tell('preparing', 0);
    const plan = contents === 'listening' ? await listeningPlan(full, scratch, o.ffmpeg ?? 'ffmpeg', (f) => tell('preparing', f * 0.2)) : full;
    const files = await packageEntries(plan);
    const big = files.find((e) => e.bytes > probe.maxFileBytes);
    if (big) throw fileTooBig(probe, big.path, big.bytes);
    // a set of discs when the copy is bigger than one: by whole files, each sitting's control files on every disc
    const perDisc = probe.kind === 'disc' ? o.discBytes ?? await probe.capacity() : probe.kind === 'iso' ? o.discBytes : undefined;
    const discs = perDisc !== undefined ? spread(files, perDisc, discBytes) : [files];
    const n = discs.length;
    const listed: MediumFile[] = discs.flatMap((d, i) => d.filter((e) => !e.control || i === 0).map((e) => ({ path: e.path, bytes: e.bytes, md5: e.md5, sha256: e.sha256, disc: e.control ? 0 : i + 1 })));
    let index: MediumIndex | undefined;
    let writeSeconds = 0;
    let checkSeconds = 0;
    let count = 0;
    let bytes = 0;
    for (let k = 1; k <= n; k++) {
      const writer = k === 1 && n === 1 ? probe : writerFor(target, full, o, { number: k, of: n });
      if (k > 1 && writer.kind === 'disc') await o.nextDisc?.(k, n);
      const own = await ownEntries(plan, contents, listed, { number: k, of: n }, join(scratch, `disc-${k}`));
      index = own.index;
      const entries = [...discs[k - 1]!, ...own.entries];
      const need = writer.needs(entries);
      const free = await writer.capacity();
      if (need > free) throw noRoom(writer, need, free, contents);
      const at = (f: number): number => (k - 1 + f) / n;
      const t0 = performance.now();
      try {
        await writer.write(entries, (f) => tell('writing', at(f / 2)));
      } catch (e) {
        const failed = writeFailed(writer, e);
        await discardFor(writer, failed);
        throw failed;
      }
      const t1 = performance.now();
      const findings = await writer.readBack(entries, (f) => tell('checking', at(0.5 + f / 2)));
      if (findings.length > 0) {
        const failed = readBackFailed(writer, findings);
        await discardFor(writer, failed);
        throw failed;
      }
      written.push(writer);
      await writer.commit();
      writeSeconds += (t1 - t0) / 1000;
      checkSeconds += (performance.now() - t1) / 1000;
      count += entries.length;
      bytes += entries.reduce((x, e) => x + e.bytes, 0);
    }
    return { kind: probe.kind, where: written.map((w) => w.where).join(', '), discs: n, files: count, bytes, index: index!, writeSeconds, checkSeconds };
  } catch (e) {
    // a set that is not whole is no copy: the images already made go too (a burned disc cannot, and the message says which failed)
    for (const w of written) if (w.kind === 'iso') await discardFor(w, e);
    throw e;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function writerFor(t: ExportTarget, plan: ExportPlan, o: ExportOptions, disc: { number: number; of: number }): MediumWriter {
  const xorriso = o.xorriso;
  const name = `ABK_${caseSlug(plan.caseNumber)}`;
  const volid = volumeId(plan.caseNumber);
  switch (t.kind) {
    case 'iso': return new IsoFileWriter({ xorriso }, resolve(disc.of === 1 ? t.file : t.file.replace(/(\.iso)?$/i, `-${disc.number}of${disc.of}$1`)), disc.of === 1 ? volid : `${volid.slice(0, 26)}_${disc.number}_${disc.of}`);
    case 'disc': {
      const imapi = o.imapi ?? (process.platform === 'win32' ? { powershell: 'powershell.exe' } : undefined);
      return imapi ? new ImapiDiscWriter(imapi, t.drive, volid) : new DiscWriter({ xorriso }, t.drive, volid);
    }
    case 'folder': {
      if (!existsSync(t.dir)) throw refused('export-no-folder', `${t.dir} does not exist: plug the stick in, or give a folder that exists.`, `${t.dir} не существует: вставьте накопитель или укажите существующую папку.`, `${t.dir} жоқ: жинақтауышты салыңыз немесе бар қалтаны көрсетіңіз.`);
      return new FolderWriter(join(resolve(t.dir), uniqueName(name, (n) => existsSync(join(t.dir, n)) || existsSync(join(t.dir, `${n}.partial`)))));
    }
    case 'fat-image': return new FatImageWriter(t.image, name);
  }
}

/** What was written removed because of `cause`; a removal that fails too is thrown with the cause, so neither is lost. */
async function discardFor(w: MediumWriter, cause: unknown): Promise<void> {
  try {
    await w.discard();
  } catch (d) {
    const c = cause instanceof AbkError ? cause.appError : toAppError(cause, 'export-write-failed');
    const also = `and what was written could not be removed from ${w.where}: ${(d as Error).message}`;
    throw new AbkError({ ...c, detail: c.detail ? `${c.detail}; ${also}` : also });
  }
}

function fileTooBig(w: MediumWriter, path: string, bytes: number): AbkError {
  if (w.kind === 'folder' || w.kind === 'fat-image') {
    return refused('export-file-too-big-fat', `${path} is ${GB(bytes)}: a FAT32 stick holds no file of 4 GiB or more. Format the stick as exFAT or NTFS and write again. Nothing was written.`,
      `${path} — ${GB(bytes)}: на накопитель FAT32 не помещается файл от 4 ГиБ. Отформатируйте накопитель в exFAT или NTFS и запишите снова. Ничего не записано.`,
      `${path} — ${GB(bytes)}: FAT32 жинақтауышына 4 ГиБ және одан үлкен файл сыймайды. Жинақтауышты exFAT не NTFS етіп пішімдеп, қайта жазыңыз. Ештеңе жазылмады.`);
  }
  return refused('export-file-too-big-iso', `${path} is ${GB(bytes)}: a disc (ISO 9660) holds no file of 4 GiB or more. Write it to a USB stick formatted exFAT or NTFS. Nothing was written.`,
    `${path} — ${GB(bytes)}: на диск (ISO 9660) не помещается файл от 4 ГиБ. Запишите на USB-накопитель с exFAT или NTFS. Ничего не записано.`,
    `${path} — ${GB(bytes)}: дискіге (ISO 9660) 4 ГиБ және одан үлкен файл сыймайды. exFAT не NTFS USB жинақтауышына жазыңыз. Ештеңе жазылмады.`);
}

function noRoom(w: MediumWriter, need: number, free: number, contents: MediumContents): AbkError {
  const [en, ru, kk] = contents === 'original'
    ? [' or a listening copy (--listening; the library\'s "listening copy")', ' или копию для прослушивания (--listening; «копия для прослушивания» в архиве)', ' немесе тыңдау көшірмесін (--listening; мұрағаттағы «тыңдау көшірмесі»)']
    : ['', '', ''];
  return refused('export-no-room', `The copy needs ${GB(need)} and ${w.where} has ${GB(free)} free. Use a bigger medium (DVD 4.7 GB, DVD-DL 8.5 GB, BD 25 GB), fewer sittings${en}. Nothing was written.`,
    `Копии нужно ${GB(need)}, а на ${w.where} свободно ${GB(free)}. Возьмите носитель больше (DVD 4,7 ГБ, DVD-DL 8,5 ГБ, BD 25 ГБ), меньше заседаний${ru}. Ничего не записано.`,
    `Көшірмеге ${GB(need)} керек, ал ${w.where} ішінде ${GB(free)} бос. Үлкенірек тасығыш (DVD 4,7 ГБ, DVD-DL 8,5 ГБ, BD 25 ГБ), азырақ отырыс${kk} алыңыз. Ештеңе жазылмады.`);
}

function writeFailed(w: MediumWriter, e: unknown): AbkError {
  const code = (e as NodeJS.ErrnoException).code;
  const detail = e instanceof Error ? e.message : String(e);
  if (code === 'ENOSPC') {
    return refused('export-medium-full', `${w.where} filled up while the copy was written. What was written was removed; the recordings are untouched. Free space on the medium or use a bigger one, then write again.`,
      `${w.where} заполнился во время записи. Записанное удалено; записи заседаний не тронуты. Освободите место или возьмите носитель больше и запишите снова.`,
      `Жазу кезінде ${w.where} толып қалды. Жазылғаны өшірілді; отырыс жазбалары өзгермеді. Орын босатыңыз не үлкенірек тасығыш алып, қайта жазыңыз.`, detail);
  }
  if (e instanceof AbkError) return e;
  return refused('export-write-failed', `Writing to ${w.where} failed; what was written was removed and the recordings are untouched. Check the medium, then write again.`,
    `Запись на ${w.where} не удалась; записанное удалено, записи заседаний не тронуты. Проверьте носитель и запишите снова.`,
    `${w.where} жазу сәтсіз аяқталды; жазылғаны өшірілді, отырыс жазбалары өзгермеді. Тасығышты тексеріп, қайта жазыңыз.`, detail);
}

function readBackFailed(w: MediumWriter, findings: ReadBackFinding[]): AbkError {
  const list = findings.map((f) => `${f.path}: ${f.status}${f.detail ? ` (${f.detail})` : ''}`).join('; ');
  const disc = w.kind === 'disc' ? ' Do not hand this disc out.' : '';
  return refused('export-read-back-failed', `The copy on ${w.where} did not read back as the sealed manifest says: ${list}.${disc} Write again on another medium; if it fails again, run "abk verify" on the sitting.`,
    `Копия на ${w.where} не совпала с опечатанным манифестом при обратном чтении: ${list}.${disc ? ' Не выдавайте этот диск.' : ''} Запишите снова на другой носитель; если снова не выйдет, выполните "abk verify" для заседания.`,
    `${w.where} көшірмесі кері оқығанда мөрленген манифестке сәйкес келмеді: ${list}.${disc ? ' Бұл дискіні бермеңіз.' : ''} Басқа тасығышқа қайта жазыңыз; тағы болмаса, отырысқа "abk verify" орындаңыз.`, list);
}

function refused(code: string, en: string, ru: string, kk: string, detail?: string): AbkError {
  return new AbkError(appError(code, en, ru, kk, detail));
}
