import { AbkError, appError } from '../../shared/result.js';
import { finishedDirOf } from '../sittings/recovery.js';
import type { SittingRow } from '../sittings/sitting-store.js';

/** A sitting's finished package folder, to be written to a medium; one not finalized yet is refused, saying so. */
export function finishedPackage(root: string, row: SittingRow): string {
  const dir = finishedDirOf(root, row);
  if (!dir) {
    throw new AbkError(appError('sitting-not-finished', `Sitting ${row.base} has no finished package yet: it can be written once it is finalized.`,
      `У заседания ${row.base} ещё нет готового пакета: записать его можно после завершения.`, `${row.base} отырысының дайын пакеті әлі жоқ: оны аяқталғаннан кейін жазуға болады.`));
  }
  return dir;
}
