import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AbkError, appError } from '../../shared/result.js';
import { runFfmpeg } from '../finalize/run-ffmpeg.js';
import { sealNames } from '../package/seal.js';
import type { ExportPlan, PlannedFile, PlannedSitting } from './plan.js';

/** The kinds of original file a listening copy carries as they are. */
const AS_THEY_ARE = new Set(['mix', 'audio-video', 'protocol']);
export const LISTENING_NOTE = 'LISTENING-COPY.txt';

/**
 * A listening copy of the sittings (when the originals do not fit, or on
 * request): the mix, the A/V file and the protocol as they are, each
 * microphone made an MP3 (64 kbit/s mono) in `scratch`, the sealed manifest
 * with its seal, so every original's name, size and hashes travel with it,
 * and a note in three languages that says it is derived. No original's
 * checksum list goes with it: those files are not there.
 */
export async function listeningPlan(plan: ExportPlan, scratch: string, ffmpeg: string, onFraction: (f: number) => void): Promise<ExportPlan> {
  const mics = plan.sittings.flatMap((s) => s.manifest.files.filter((f) => f.kind === 'microphone').map((f) => ({ s, f })));
  let made = 0;
  const sittings: PlannedSitting[] = [];
  for (const s of plan.sittings) {
    const at = (name: string): PlannedFile | undefined => s.files.find((f) => f.path === `${s.base}/${name}`);
    const kept = s.manifest.files.filter((f) => AS_THEY_ARE.has(f.kind)).map((f) => at(f.name)!);
    const sealed = [s.manifestName, sealNames.signature(s.base), sealNames.timestamp(s.base), sealNames.signer(s.base)].flatMap((n) => at(n) ?? []);
    const folder = join(scratch, s.base);
    mkdirSync(folder, { recursive: true });
    const derived: PlannedFile[] = [];
    for (const { f } of mics.filter((m) => m.s === s)) {
      const name = f.name.replace(/\.wav$/i, '.mp3');
      const out = join(folder, name);
      try {
        await runFfmpeg(ffmpeg, ['-i', join(s.dir, f.name), '-map_metadata', '-1', '-ac', '1', '-c:a', 'libmp3lame', '-b:a', '64k', out]);
      } catch (e) {
        throw new AbkError(appError('listening-copy-failed', `The listening copy of ${f.name} could not be made: check ffmpeg (it needs libmp3lame). The recordings are untouched.`,
          `Копию для прослушивания ${f.name} сделать не удалось: проверьте ffmpeg (нужен libmp3lame). Записи не тронуты.`,
          `${f.name} тыңдау көшірмесін жасау мүмкін болмады: ffmpeg тексеріңіз (libmp3lame керек). Жазбалар өзгермеді.`, (e as Error).message));
      }
      derived.push({ source: out, path: `${s.base}/${name}`, bytes: 0 });
      onFraction(++made / Math.max(1, mics.length));
    }
    writeFileSync(join(folder, LISTENING_NOTE), note(s));
    derived.push({ source: join(folder, LISTENING_NOTE), path: `${s.base}/${LISTENING_NOTE}`, bytes: 0, control: true });
    sittings.push({ ...s, files: [...kept, ...sealed, ...derived] });
  }
  const files = sittings.flatMap((s) => s.files);
  return { caseNumber: plan.caseNumber, sittings, files, bytes: files.reduce((n, f) => n + f.bytes, 0), largest: plan.largest };
}

function note(s: PlannedSitting): string {
  const list = s.manifest.files.map((f) => `  ${f.name}  ${f.bytes} bytes  MD5 ${f.md5}  SHA-256 ${f.sha256}`).join('\n');
  return [
    `ABK ABT — ${s.base}`,
    '',
    '[kk] Бұл — тыңдауға арналған көшірме, түпнұсқа файлдардан жасалған (микрофондар MP3 пішімінде). Электрондық хаттама — төмендегі түпнұсқа файлдар; олардың сомалары мөрленген манифестте.',
    '[ru] Это копия для прослушивания, сделанная из исходных файлов (микрофоны в MP3). Электронный протокол — исходные файлы ниже; их суммы — в опечатанном манифесте.',
    '[en] This is a listening copy, derived from the original files (the microphones as MP3). The electronic protocol is the original files below; their hashes are in the sealed manifest.',
    '',
    list,
    '',
  ].join('\n');
}
