import { existsSync, readFileSync } from 'node:fs';
import type { SittingFieldsInput } from '../shared/sitting.js';

/** The sitting of `abk demo`: a civil case in Kazakh, with Kazakh names. */
export function demoFields(caseNumber: string): SittingFieldsInput {
  return {
    caseNumber, caseCategory: 'Азаматтық іс', description: 'Қарыз шарты бойынша берешекті өндіріп алу туралы талап арыз',
    court: 'Астана қаласының мамандандырылған ауданаралық экономикалық соты', city: 'Астана', courtroom: '№ 3 зал', language: 'kk',
    presidingJudge: 'Әлібекова Гүлнәр Серікқызы', secretary: 'Нұрланұлы Ерқанат', interpreter: 'Өмірзақова Ұлжан',
    participants: [
      { name: 'Қасымов Ғалым Һадиұлы', role: 'plaintiff' },
      { name: 'Сәрсенбаева Іңкәр', role: 'defendant' },
      { name: 'Жұмабаев Өркен', role: 'defence' },
      { name: 'Үсенова Әсел', role: 'witness', attendance: 'remote' },
    ],
    evidence: [{ title: 'Қарыз шарты № 17, 2024-03-12', presentedBy: 'Қасымов Ғалым Һадиұлы' }],
  };
}

/**
 * The details of a sitting recorded from the command line: a JSON file with
 * the fields of the short protocol (see the README), else placeholders that
 * the secretary completes before the protocol is printed.
 */
export function recordFields(caseNumber: string, file: string | undefined): SittingFieldsInput {
  const base: SittingFieldsInput = { caseNumber, court: '—', city: '—', courtroom: '—', language: 'ru', presidingJudge: '—', secretary: '—' };
  if (!file) return base;
  if (!existsSync(file)) throw new Error(`--fields ${file} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`--fields ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return { ...base, ...(parsed as Partial<SittingFieldsInput>), caseNumber };
}
