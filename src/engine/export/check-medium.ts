import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MEDIUM_INDEX, MEDIUM_README, MEDIUM_SCRIPT, parseMediumIndex, PLAYER_FILE, type MediumIndex } from '../../shared/medium-format.js';
import { compareRecorded, type ReadBackFinding } from './writer.js';
import { extractFile, readBack, type XorrisoRun } from './xorriso.js';

/** The medium's own files, made with the copy: held to the MD5 the image recorded, not to the index. */
const OWN = new Set([MEDIUM_INDEX, MEDIUM_README, MEDIUM_SCRIPT, PLAYER_FILE]);

export interface MediumReport { where: string; ok: boolean; index: MediumIndex | undefined; problem: string | undefined; findings: ReadBackFinding[]; files: number }

/**
 * An ISO image or a disc in a drive, checked with nothing but itself: every
 * file read back and held to the MD5 the image recorded when it was written,
 * and every file the medium's index names there with the MD5 the index
 * (and the sealed manifest before it) gives, nothing missing, nothing added.
 */
export async function checkMedium(x: XorrisoRun, indev: string): Promise<MediumReport> {
  const report: MediumReport = { where: indev, ok: false, index: undefined, problem: undefined, findings: [], files: 0 };
  const scratch = mkdtempSync(join(tmpdir(), 'abk-medium-'));
  try {
    await extractFile(x, indev, MEDIUM_INDEX, join(scratch, MEDIUM_INDEX));
    report.index = parseMediumIndex(readFileSync(join(scratch, MEDIUM_INDEX), 'utf8'));
  } catch (e) {
    report.problem = `${MEDIUM_INDEX} cannot be read from ${indev}: ${(e as Error).message}`;
    return report;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const ix = report.index;
  const mine = ix.files.filter((f) => f.disc === ix.disc.number || f.disc === 0);
  const r = await readBack(x, indev);
  report.files = r.recorded.size;
  report.findings = compareRecorded(mine, r.recorded, r.mismatched).filter((f) => !(f.status === 'added' && OWN.has(f.path)));
  for (const own of OWN) if (!r.recorded.has(own)) report.findings.push({ path: own, status: 'missing' });
  report.ok = report.findings.length === 0;
  return report;
}
