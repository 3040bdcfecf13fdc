import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from '../../capture/audio/hash-file.js';
import { MEDIUM_FORMAT, MEDIUM_INDEX, MEDIUM_README, MEDIUM_SCRIPT, PLAYER_FILE, type MediumContents, type MediumFile, type MediumIndex } from '../../shared/medium-format.js';
import { AbkError, appError } from '../../shared/result.js';
import { softwareVersion } from '../version.js';
import type { ExportPlan, PlannedFile } from './plan.js';

/** The portable player, one HTML file, as `npm run build` makes it (dist/player beside dist/engine, in the source and the build alike). */
export function playerPath(): string {
  return fileURLToPath(new URL('../../../dist/player/ABK-Player.html', import.meta.url));
}

/** A file as it goes on the medium, with the hashes it must read back with. */
export interface MediumEntry { source: string; path: string; bytes: number; md5: string; sha256: string; control?: boolean }

/** The packages' files, each with its hashes: from the sealed manifest, or (files made from it, small) hashed here. */
export async function packageEntries(plan: ExportPlan): Promise<MediumEntry[]> {
  const files: MediumEntry[] = [];
  for (const f of plan.files) files.push(await withHashes(f));
  return files;
}

/**
 * The medium's own files for disc `disc` of a set, written into `scratch`:
 * the index (every file of the whole set, and which disc holds it), the same
 * as a script with the sealed manifests for the player, the README and the
 * player itself.
 */
export async function ownEntries(plan: ExportPlan, contents: MediumContents, files: MediumFile[], disc: { number: number; of: number }, scratch: string, now = new Date()): Promise<{ entries: MediumEntry[]; index: MediumIndex }> {
  const index: MediumIndex = {
    format: MEDIUM_FORMAT, formatVersion: 1, contents, madeAt: now.toISOString(), software: { name: 'ABK ABT', version: softwareVersion() },
    disc, caseNumber: plan.caseNumber,
    sittings: plan.sittings.map((s) => ({
      base: s.base, folder: s.base, caseNumber: s.manifest.caseNumber,
      manifest: { path: `${s.base}/${s.manifestName}`, revision: s.manifest.revision, ...s.manifestDigest },
      ...(contents === 'listening' ? { derivedFrom: s.manifest.files.map((f) => ({ name: f.name, bytes: f.bytes, md5: f.md5, sha256: f.sha256 })) } : {}),
    })),
    files,
  };
  const player = playerPath();
  if (!existsSync(player)) {
    throw new AbkError(appError('player-not-built', `The portable player is not built (${player}): run "npm run build" first.`,
      `Переносной проигрыватель не собран (${player}): сначала выполните "npm run build".`, `Тасымалы ойнатқыш жиналмаған (${player}): алдымен "npm run build" орындаңыз.`));
  }
  // the player opened from file:// may load a classic script beside it, and nothing else: the index and the manifests as one
  const manifests = Object.fromEntries(plan.sittings.map((s) => [s.base, readFileSync(join(s.dir, s.manifestName), 'utf8')]));
  const script = `window.ABK_MEDIUM = ${JSON.stringify({ index, manifests }).replace(/</g, '\\u003c')};\n`;
  const made: [string, string | Buffer][] = [[MEDIUM_INDEX, `${JSON.stringify(index, null, 2)}\n`], [MEDIUM_SCRIPT, script], [MEDIUM_README, readme(index)], [PLAYER_FILE, readFileSync(player)]];
  mkdirSync(scratch, { recursive: true });
  const entries: MediumEntry[] = [];
  for (const [name, text] of made) {
    writeFileSync(join(scratch, name), text);
    entries.push(await withHashes({ source: join(scratch, name), path: name, bytes: typeof text === 'string' ? Buffer.byteLength(text) : text.length }));
  }
  return { entries, index };
}

/** Everything of a one-medium export: the packages' files, then the medium's own. */
export async function mediumEntries(plan: ExportPlan, contents: MediumContents, scratch: string): Promise<{ entries: MediumEntry[]; index: MediumIndex }> {
  const files = await packageEntries(plan);
  const own = await ownEntries(plan, contents, files.map((f) => ({ path: f.path, bytes: f.bytes, md5: f.md5, sha256: f.sha256, disc: 1 })), { number: 1, of: 1 }, scratch);
  return { entries: [...files, ...own.entries], index: own.index };
}

async function withHashes(f: PlannedFile): Promise<MediumEntry> {
  if (f.md5 && f.sha256) return { ...f, md5: f.md5, sha256: f.sha256 };
  const h = await hashFile(f.source);
  return { source: f.source, path: f.path, bytes: h.bytes, md5: h.md5, sha256: h.sha256, ...(f.control ? { control: true } : {}) };
}

/** README.txt: what the medium holds and how to use and check it, in Kazakh, Russian and English. */
function readme(ix: MediumIndex): string {
  const list = ix.sittings.map((s) => `  ${s.folder}/   manifest SHA-256 ${s.manifest.sha256}`).join('\n');
  const disc = `${ix.disc.number}/${ix.disc.of}`;
  const original = ix.contents === 'original';
  return [
    `ABK ABT — ${ix.caseNumber}`,
    list,
    '',
    `[kk] Сот отырысының аудио-бейнежазбасы${original ? ' (электрондық хаттама, түпнұсқа файлдар мөрмен қалай басылса, солай)' : ' (тыңдауға арналған көшірме: түпнұсқадан жасалған)'}. Диск ${disc}.`,
    `  Тыңдау: ${PLAYER_FILE} файлын екі рет басыңыз (орнату қажет емес), «Қалтаны ашу» батырмасын басып, осы тасығыштың түбірін таңдаңыз.`,
    '  Әр микрофонды жеке тыңдауға, сөз берілген белгілерге өтуге және «Көшірмені тексеру» арқылы әр файлдың MD5 және SHA-256 сомасын тексеруге болады.',
    '  Linux: әр отырыс қалтасында md5sum -c MD5SUMS; ABK ABT бар компьютерде: abk verify <қалта>.',
    '',
    `[ru] Аудио-видеозапись судебного заседания${original ? ' (электронный протокол: исходные файлы в точности как опечатаны)' : ' (копия для прослушивания: сделана из исходных файлов)'}. Диск ${disc}.`,
    `  Прослушать: дважды щёлкните ${PLAYER_FILE} (установка не нужна), нажмите «Открыть папку» и выберите корень этого носителя.`,
    '  Каждый микрофон можно слушать отдельно, переходить к отметкам о предоставлении слова и проверить копию кнопкой «Проверить копию» (MD5 и SHA-256 каждого файла).',
    '  Linux: в папке каждого заседания md5sum -c MD5SUMS; на компьютере с ABK ABT: abk verify <папка>.',
    '',
    `[en] Audio/video record of a court sitting${original ? ' (the electronic protocol: the original files exactly as sealed)' : ' (a listening copy, derived from the originals)'}. Disc ${disc}.`,
    `  To listen: double-click ${PLAYER_FILE} (nothing to install), press "Open the folder" and choose this medium's root.`,
    '  Each microphone plays alone, the marks of who was given the floor can be jumped to, and "Verify this copy" checks every file\'s MD5 and SHA-256.',
    '  Linux: md5sum -c MD5SUMS in each sitting\'s folder; on a computer with ABK ABT: abk verify <folder>.',
    '',
  ].join('\n');
}
