import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent, ExportJobView, ExportPlanView, IssuedCopyView, MediumChoice } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { DISC_CAPACITIES } from '../../shared/medium-format.js';
import { AbkError, appError, toAppError } from '../../shared/result.js';
import { exportsOf, recordExport } from '../export/export-audit.js';
import { exportSittings, type ExportTarget } from '../export/export.js';
import { planExport } from '../export/plan.js';
import { imapiDrives } from '../export/imapi.js';
import { localTargets } from '../export/targets.js';
import { finishedPackage } from '../export/sources.js';
import type { SittingStore } from '../sittings/sitting-store.js';

export interface ExportJobsEvents { emit(e: EngineEvent): void }

/**
 * The library's "Write to disc / USB", for IT staff: one copy at a time,
 * never while a sitting is being recorded (a copy reads the disk the
 * recording writes to), its progress with the time left as events, and
 * every copy written in the audit log, as `abk export` does.
 */
export class ExportJobs {
  private job: ExportJobView & { done?: Promise<void> } = { running: false, ids: [] };

  constructor(private readonly store: SittingStore, private readonly config: () => AbkConfig, private readonly ffmpeg: string, private readonly ev: ExportJobsEvents,
    private readonly allowed: () => void, private readonly recording: () => boolean) {}

  isoFolder(): string {
    return this.config().export.isoFolder ?? join(this.config().recordingsRoot, 'exports');
  }

  async targets(): Promise<MediumChoice[]> {
    this.allowed();
    const found = localTargets(this.isoFolder());
    if (process.platform !== 'win32') return found;
    // Windows: the optical drives IMAPI2 knows (USB sticks are chosen as a folder: E:\)
    const drives = await imapiDrives({ powershell: this.config().export.powershell });
    return [...drives.map((d): MediumChoice => ({ kind: 'disc', path: d.path, label: `${d.path} (${d.blank ? 'blank disc' : 'no blank disc'})`, ...(d.blank ? { freeBytes: d.freeBytes } : {}) })), ...found];
  }

  plan(ids: number[]): ExportPlanView {
    const dirs = this.dirsOf(ids);
    const plan = planExport(dirs);
    return {
      caseNumber: plan.caseNumber, bytes: plan.bytes, largestBytes: plan.largest?.bytes ?? 0, files: plan.files.length,
      sittings: plan.sittings.map((s, i) => ({ id: ids[i]!, base: s.base, bytes: s.files.reduce((n, f) => n + f.bytes, 0) })),
      // the player and the index add about a megabyte
      discs: DISC_CAPACITIES.map((d) => ({ ...d, fits: plan.bytes + 2_000_000 <= d.bytes })),
    };
  }

  view(): ExportJobView {
    const { done: _done, ...v } = this.job;
    return v;
  }

  /** Every copy issued of a sitting, for its detail. */
  issued(sittingId: number): IssuedCopyView[] {
    return exportsOf(this.store, sittingId).map((c) => ({ atMs: c.atMs, by: c.by, medium: c.medium, where: c.where, contents: c.contents, sittings: c.sittings.map((s) => s.base) }));
  }

  start(ids: number[], target: { kind: 'iso' | 'disc' | 'folder'; path: string }, listening = false): ExportJobView {
    this.allowed();
    if (this.job.running) {
      throw new AbkError(appError('export-busy', 'A copy is being written already: wait until it is done.', 'Копия уже записывается: дождитесь окончания.', 'Көшірме жазылып жатыр: аяқталуын күтіңіз.'));
    }
    if (this.recording()) {
      throw new AbkError(appError('export-while-recording', 'A sitting is being recorded: write copies after it ends (a copy reads the disk the recording writes to).',
        'Идёт запись заседания: записывайте копии после её окончания (копирование читает тот же диск, на который идёт запись).',
        'Отырыс жазылып жатыр: көшірмелерді ол аяқталғаннан кейін жазыңыз (көшіру жазба жүріп жатқан дискіні оқиды).'));
    }
    const dirs = this.dirsOf(ids);
    const to: ExportTarget = target.kind === 'disc' ? { kind: 'disc', drive: target.path } : target.kind === 'folder' ? { kind: 'folder', dir: target.path }
      : { kind: 'iso', file: this.isoFile(ids) };
    const first = ids[0]!;
    this.job = { running: true, ids, stage: 'preparing', fraction: 0 };
    const done = exportSittings(dirs, to, {
      xorriso: this.config().export.xorriso, ffmpeg: this.ffmpeg, ...(process.platform === 'win32' ? { imapi: { powershell: this.config().export.powershell } } : {}), contents: listening ? 'listening' : 'original',
      nextDisc: (_k, of) => Promise.reject(new AbkError(appError('export-needs-discs', `The copy needs ${of} discs: write the set with "abk export … --to disc DRIVE" (it asks for each disc), or write a listening copy. Disc 1 is written and checked.`,
        `Копии нужно ${of} дисков: запишите набор командой "abk export … --to disc ПРИВОД" (она попросит каждый диск) или запишите копию для прослушивания. Диск 1 записан и проверен.`,
        `Көшірмеге ${of} дискі керек: жиынды "abk export … --to disc ЖЕТЕК" командасымен жазыңыз (ол әр дискіні сұрайды) немесе тыңдау көшірмесін жазыңыз. 1-дискі жазылып, тексерілді.`))),
      onProgress: (p) => {
        this.job = { ...this.job, stage: p.stage, fraction: p.fraction, ...(p.secondsLeft !== undefined ? { secondsLeft: p.secondsLeft } : {}) };
        this.ev.emit({ type: 'progress', sittingId: first, task: 'export', stage: p.stage, fraction: p.fraction, ...(p.secondsLeft !== undefined ? { secondsLeft: p.secondsLeft } : {}) });
      },
    }).then((r) => {
      recordExport(this.store, ids, r, `IT (${userInfo().username})`);
      this.ev.emit({ type: 'exported', sittingIds: ids, ok: true, where: r.where });
    }, (e: unknown) => {
      this.ev.emit({ type: 'exported', sittingIds: ids, ok: false, error: toAppError(e, 'export-failed') });
    }).finally(() => { this.job = { running: false, ids }; });
    this.job.done = done;
    return this.view();
  }

  /** Resolves when the copy being written (if any) is done: the engine waits for it before it closes. */
  settled(): Promise<void> {
    return this.job.done ?? Promise.resolve();
  }

  private isoFile(ids: number[]): string {
    const folder = this.isoFolder();
    mkdirSync(folder, { recursive: true });
    const base = this.store.get(ids[0]!).base;
    return join(folder, `${base}${ids.length > 1 ? `+${ids.length - 1}` : ''}_${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.iso`);
  }

  private dirsOf(ids: number[]): string[] {
    return ids.map((id) => finishedPackage(this.config().recordingsRoot, this.store.get(id)));
  }
}
