import { z } from 'zod';
import type { EngineEvent, IntegrityFinding, IntegrityView } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { AbkError, appError, toAppError, type AppError } from '../../shared/result.js';
import { verifyPackage, type PackageReport } from '../package/verify.js';
import { finishedDirOf } from '../sittings/recovery.js';
import type { SittingRow, SittingStore } from '../sittings/sitting-store.js';

/** The audit events that say how a package checked: the read-back after finalize, and a Verify from the library. */
const readBackSchema = z.object({ dir: z.string(), ok: z.boolean(), mismatched: z.array(z.string()) });
const findingSchema = z.object({ subject: z.string(), what: z.string(), detail: z.string().optional() });
const verifiedSchema = z.object({ dir: z.string(), ok: z.boolean(), findings: z.array(findingSchema) });
const CHECK_EVENTS = ['read-back', 'verified'] as const;

export interface CheckHooks {
  emit: (e: EngineEvent) => void;
  raise: (key: string, subject: string, error: AppError) => void;
  clear: (prefix: string) => void;
}

/** What a report found: each file not as sealed (its status), each problem of the sitting (its code and detail). */
export function findingsOf(r: PackageReport): IntegrityFinding[] {
  return [
    ...r.files.filter((f) => f.status !== 'ok').map((f) => ({ subject: f.name, what: f.status, ...(f.renamedTo ? { detail: `→ ${f.renamedTo}` } : f.detail ? { detail: f.detail } : {}) })),
    ...r.problems.map((p) => ({ subject: r.base ?? r.dir, what: p.code, detail: p.detail })),
  ];
}

/**
 * The library's Verify: a finished sitting's package checked against its
 * sealed manifest, every byte on every core (the check `abk verify` makes,
 * with the configuration's trusted signers and TSAs), one check per sitting
 * at a time. Its progress goes out as events; its result is an audit event
 * (`verified`), so the badge outlives the engine; a package found changed is
 * an alarm until a check finds it whole again.
 */
export class LibraryChecks {
  private readonly running = new Map<number, { fraction: number; done: Promise<void> }>();

  constructor(private readonly store: SittingStore, private readonly config: () => AbkConfig, private readonly hooks: CheckHooks) {}

  /** The sitting's badge: the check under way, else the last one recorded; none before its first. */
  view(row: SittingRow): IntegrityView | undefined {
    return this.badge(row, this.store.lastEvents(CHECK_EVENTS, row.id).get(row.id));
  }

  /** Every sitting's badge from one read of the audit log: for the library's list. */
  views(): (row: SittingRow) => IntegrityView | undefined {
    const last = this.store.lastEvents(CHECK_EVENTS);
    return (row) => this.badge(row, last.get(row.id));
  }

  private badge(row: SittingRow, last: { type: string; wallMs: number; payload: unknown } | undefined): IntegrityView | undefined {
    const now = this.running.get(row.id);
    if (now) return { state: 'checking', fraction: now.fraction };
    if (!last) return undefined;
    const by = last.type === 'read-back' ? 'read-back' : 'verify';
    const parsed = by === 'read-back' ? readBackSchema.safeParse(last.payload) : verifiedSchema.safeParse(last.payload);
    // a record that does not parse proves nothing: shown as not verified, with why (the audit log's own check names the edit)
    if (!parsed.success) return { state: 'changed', atMs: last.wallMs, by, findings: [{ subject: row.base, what: 'record-unreadable', detail: `${last.type}: ${parsed.error.issues[0]?.message ?? ''}` }] };
    const d = parsed.data;
    const findings = 'mismatched' in d ? d.mismatched.map((n) => ({ subject: n, what: 'changed' })) : d.findings;
    return { state: d.ok ? 'verified' : 'changed', atMs: last.wallMs, by, findings };
  }

  /** Start checking (a second request while one runs joins it); refused for a sitting with no package yet. */
  verify(row: SittingRow): IntegrityView {
    if (this.running.has(row.id)) return this.view(row)!;
    const dir = finishedDirOf(this.config().recordingsRoot, row);
    if (!dir) {
      throw new AbkError(appError('sitting-not-finished', `Sitting ${row.base} has no finished package yet: it can be verified once it is finalized.`,
        `У заседания ${row.base} ещё нет готового пакета: проверить его можно после завершения.`, `${row.base} отырысының дайын пакеті әлі жоқ: оны аяқталғаннан кейін тексеруге болады.`));
    }
    const job = { fraction: 0, done: Promise.resolve() };
    this.running.set(row.id, job);
    job.done = this.run(row, dir, job).finally(() => this.running.delete(row.id));
    return { state: 'checking', fraction: 0 };
  }

  /** Wait for every check under way (the engine closes after them). */
  async stop(): Promise<void> {
    await Promise.all([...this.running.values()].map((j) => j.done));
  }

  private async run(row: SittingRow, dir: string, job: { fraction: number }): Promise<void> {
    const seal = this.config().seal;
    const progress = (stage: string, fraction: number): void => this.hooks.emit({ type: 'progress', sittingId: row.id, task: 'verify', stage, fraction });
    let told = 0;
    try {
      const report = await verifyPackage(dir, {
        trusted: seal.trusted, trustedTsa: seal.trustedTsa, ...(seal.openssl ? { openssl: seal.openssl } : {}),
        onProgress: (read, total) => {
          job.fraction = total > 0 ? read / total : 1;
          if (job.fraction - told >= 0.02) { told = job.fraction; progress('read', job.fraction); }
        },
      });
      const findings = findingsOf(report);
      this.store.note(row.id, 'verified', { dir, ok: report.ok, findings, bytesRead: report.bytesRead });
      progress(report.ok ? 'verified' : 'changed', 1);
      if (report.ok) this.hooks.clear(`verify/${row.id}`);
      else this.hooks.raise(`verify/${row.id}`, row.base, changedError(row.base, findings));
    } catch (e) {
      // the check itself could not run (the folder unreadable, openssl missing): said, and no result recorded
      progress('failed', 0);
      this.hooks.raise(`verify/${row.id}`, row.base, toAppError(e, 'verify-failed'));
    }
  }
}

/** A file's status in each language (a sitting's problem is named by its code, as abk verify names it). */
const STATUS_WORDS: Record<string, { en: string; ru: string; kk: string }> = {
  changed: { en: 'changed', ru: 'изменён', kk: 'өзгертілген' },
  truncated: { en: 'truncated', ru: 'укорочен', kk: 'қысқартылған' },
  missing: { en: 'missing', ru: 'отсутствует', kk: 'жоқ' },
  added: { en: 'added', ru: 'добавлен', kk: 'қосылған' },
  renamed: { en: 'renamed', ru: 'переименован', kk: 'атауы өзгертілген' },
};

function changedError(base: string, findings: IntegrityFinding[]): AppError {
  const what = (l: 'en' | 'ru' | 'kk'): string => findings.slice(0, 5).map((f) => `${f.subject}: ${STATUS_WORDS[f.what]?.[l] ?? f.what}`).join('; ')
    + (findings.length > 5 ? ` (+${findings.length - 5})` : '');
  return appError('package-changed',
    `The package of sitting ${base} is not what was sealed: ${what('en')}. Do not hand it out; the copies on the regional servers are checked separately. Call IT.`,
    `Пакет заседания ${base} не совпадает с опечатанным: ${what('ru')}. Не выдавайте его; копии на региональных серверах проверяются отдельно. Вызовите ИТ-службу.`,
    `${base} отырысының пакеті мөрленгенімен сәйкес емес: ${what('kk')}. Оны бермеңіз; аймақтық серверлердегі көшірмелер бөлек тексеріледі. IT қызметін шақырыңыз.`);
}
