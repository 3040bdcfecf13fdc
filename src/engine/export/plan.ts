import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest, type Manifest } from '../../shared/package-format.js';
import { AbkError, appError } from '../../shared/result.js';
import { digestOf } from '../package/revision.js';
import { controlFiles } from '../package/verify.js';

/** One file to put on the medium: where it comes from, where it goes, what it must hash to (from the sealed manifest where it lists it). */
/** `control`: the manifest, its seal, the checksum lists, the guide: on every disc of a set. */
export interface PlannedFile { source: string; path: string; bytes: number; md5?: string; sha256?: string; control?: boolean }

export interface PlannedSitting { dir: string; base: string; manifest: Manifest; manifestName: string; manifestDigest: { md5: string; sha256: string }; files: PlannedFile[] }

export interface ExportPlan { caseNumber: string; sittings: PlannedSitting[]; files: PlannedFile[]; bytes: number; largest: PlannedFile | undefined }

/** A file of 4 GiB or more cannot be on FAT32 nor, as one extent, in ISO 9660. */
export const FOUR_GIB = 4 * 1024 ** 3;

const MANIFEST_RE = /^(.+)_manifest\.json$/;

/**
 * What an export of these finished sitting folders writes: every file their
 * current manifest lists and the files made from it (MD5SUMS, the seal, the
 * guide), each under `<base>/` on the medium. Nothing else in a folder is
 * taken. The sittings must be of one case: a medium goes to a participant of
 * that case.
 */
export function planExport(dirs: string[]): ExportPlan {
  if (dirs.length === 0) throw usage('no-sittings', 'Say which sittings to write.', 'Укажите, какие заседания записать.', 'Қай отырыстарды жазу керектігін көрсетіңіз.');
  const sittings = dirs.map(planSitting);
  const bases = new Set<string>();
  for (const s of sittings) {
    if (bases.has(s.base)) throw usage('sitting-twice', `Sitting ${s.base} is named twice.`, `Заседание ${s.base} указано дважды.`, `${s.base} отырысы екі рет көрсетілген.`);
    bases.add(s.base);
  }
  const cases = [...new Set(sittings.map((s) => s.manifest.caseNumber))];
  if (cases.length > 1) {
    throw usage('several-cases', `The sittings are of different cases (${cases.join(', ')}): a medium holds the sittings of one case; write one medium per case.`,
      `Заседания относятся к разным делам (${cases.join(', ')}): на носитель пишутся заседания одного дела; запишите по носителю на дело.`,
      `Отырыстар әртүрлі істерге жатады (${cases.join(', ')}): тасығышқа бір істің отырыстары жазылады; әр іске бөлек тасығыш жазыңыз.`);
  }
  const files = sittings.flatMap((s) => s.files);
  const largest = [...files].sort((a, b) => b.bytes - a.bytes)[0];
  return { caseNumber: cases[0]!, sittings, files, bytes: files.reduce((n, f) => n + f.bytes, 0), largest };
}

function planSitting(dir: string): PlannedSitting {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) {
    throw usage('not-a-sitting', `${dir} is not a folder.`, `${dir} — не папка.`, `${dir} — қалта емес.`);
  }
  const names = readdirSync(dir);
  const manifestName = names.find((n) => MANIFEST_RE.test(n));
  if (!manifestName) {
    throw usage('not-a-sitting', `${dir} holds no sitting package (no *_manifest.json): give a finished sitting's folder, id or base.`,
      `В ${dir} нет пакета заседания (нет *_manifest.json): укажите папку, номер или имя завершённого заседания.`,
      `${dir} ішінде отырыс пакеті жоқ (*_manifest.json жоқ): аяқталған отырыстың қалтасын, нөмірін не атын көрсетіңіз.`);
  }
  const bytes = readFileSync(join(dir, manifestName));
  const manifest = parseManifest(bytes.toString('utf8'));
  const listed = manifest.files.map((f) => ({ source: join(dir, f.name), path: `${manifest.base}/${f.name}`, bytes: f.bytes, md5: f.md5, sha256: f.sha256 }));
  for (const f of listed) {
    if (!existsSync(f.source)) {
      throw usage('package-incomplete', `${f.source} is missing: the package is not whole, so it is not written. Run "abk verify ${dir}" to see what changed.`,
        `Нет файла ${f.source}: пакет неполон и не записывается. Запустите "abk verify ${dir}", чтобы увидеть, что изменилось.`,
        `${f.source} файлы жоқ: пакет толық емес, сондықтан жазылмайды. Не өзгергенін көру үшін "abk verify ${dir}" іске қосыңыз.`);
    }
  }
  const digest = digestOf(bytes);
  // the control files are written as they are; the manifest's own hashes are known from its bytes
  const control = [...controlFiles(manifest.base)].filter((n) => names.includes(n)).sort().map((n) => ({
    source: join(dir, n), path: `${manifest.base}/${n}`, bytes: lstatSync(join(dir, n)).size, control: true, ...(n === manifestName ? digest : {}),
  }));
  return { dir, base: manifest.base, manifest, manifestName, manifestDigest: digest, files: [...listed, ...control] };
}

function usage(code: string, en: string, ru: string, kk: string): AbkError {
  return new AbkError(appError(code, en, ru, kk));
}
