import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { locateFfmpeg } from '../../capture/video/ffmpeg-locate.js';
import type { AbkConfig } from '../../shared/config.js';
import { fileNames } from '../../shared/naming.js';
import { AbkError, appError } from '../../shared/result.js';
import type { MarkInput, SittingFieldsInput } from '../../shared/sitting.js';
import { openDatabase, type Db } from '../db/database.js';
import { finalDirOf, finalizeSitting, readSummary, type FinalizeProgress, type FinalizeResult } from '../finalize/finalize.js';
import { recoverSummary } from '../finalize/recover-summary.js';
import { generateProtocol, type ProtocolResult } from '../protocol/protocol.js';
import { SittingRecorder, type SittingSummary } from '../recorder/sitting-recorder.js';
import { SittingStore, type Mark, type SittingRow } from './sitting-store.js';

export const databasePath = (root: string): string => join(root, 'abk.sqlite');

export type MarkRequest = Omit<MarkInput, 'atSample' | 'wallMs'>;

/** The protocol made after the files: it never fails finalize (a bad template is fixed and `abk protocol` run again). */
export type ProtocolOutcome = { ok: true; result: ProtocolResult } | { ok: false; error: Error };
export type SittingFinalized = FinalizeResult & { protocol: ProtocolOutcome | undefined };

/**
 * One sitting from opening to its finished files: the database row and its
 * state machine, the recorder, the marks (stamped with the audio position of
 * the moment they were made), and finalize at stop. The CLI, the API server
 * and the tests all drive sittings through this.
 */
export class SittingSession {
  readonly store: SittingStore;
  private recorder: SittingRecorder | undefined;
  private row: SittingRow | undefined;

  constructor(readonly db: Db, readonly config: AbkConfig, readonly tools: FfmpegTools = locateFfmpeg(config)) {
    this.store = new SittingStore(db);
  }

  static open(config: AbkConfig): SittingSession {
    return new SittingSession(openDatabase(databasePath(config.recordingsRoot)), config);
  }

  get sitting(): SittingRow {
    if (!this.row) throw new Error('no sitting has been opened');
    return this.store.get(this.row.id);
  }

  get rec(): SittingRecorder {
    if (!this.recorder) throw new Error('the sitting is not recording');
    return this.recorder;
  }

  /** Open a sitting with its details; it is ready to record. */
  create(fields: SittingFieldsInput): SittingRow {
    const row = this.store.create(fields);
    this.row = this.store.transition(row.id, 'ready');
    return this.row;
  }

  /** Work on a sitting already opened (by the API, from its id). */
  select(id: number): SittingRow {
    this.row = this.store.get(id);
    return this.row;
  }

  async start(opts: { captureEnv?: Record<string, string>; liveMix?: boolean } = {}): Promise<SittingRecorder> {
    const row = this.sitting;
    const rec = new SittingRecorder({
      config: this.config, caseNumber: row.fields.caseNumber, base: row.base, tools: this.tools,
      ...(opts.captureEnv ? { captureEnv: opts.captureEnv } : {}), ...(opts.liveMix === false ? { liveMix: false } : {}),
    });
    await rec.start();
    this.recorder = rec;
    this.store.transition(row.id, 'recording', { dir: rec.dir });
    return rec;
  }

  /** A mark at the instant `wallMs` (the key press), placed on the audio timeline. */
  mark(input: MarkRequest, wallMs = Date.now()): Mark {
    const atSample = this.rec.positionAt(wallMs);
    return this.store.addMark(this.sitting.id, { ...input, atSample, wallMs: Math.round(wallMs) });
  }

  async pause(): Promise<void> {
    await this.rec.pause();
    this.store.transition(this.sitting.id, 'paused', { atSample: this.rec.positionSamples() });
  }

  async resume(): Promise<void> {
    await this.rec.resume();
    this.store.transition(this.sitting.id, 'recording', { atSample: this.rec.positionSamples() });
  }

  /** Stop recording and finalize; the files are ready when this resolves (their read-back check follows). */
  async stop(onProgress?: (p: FinalizeProgress) => void): Promise<{ summary: SittingSummary; result: SittingFinalized }> {
    const summary = await this.stopRecording();
    const result = await this.finalizeStopped(summary, onProgress);
    return { summary, result };
  }

  /** Stop the recorder: every file is closed and the sitting is `finalizing` (the API answers here and finalizes behind). */
  async stopRecording(): Promise<SittingSummary> {
    const summary = await this.rec.stop();
    const id = this.sitting.id;
    this.store.transition(id, 'finalizing', { stoppedWallMs: summary.stoppedWallMs });
    this.recordSegments(id, summary);
    return summary;
  }

  finalizeStopped(summary: SittingSummary, onProgress?: (p: FinalizeProgress) => void): Promise<SittingFinalized> {
    return this.finalizeRow(this.sitting.id, summary, onProgress);
  }

  /**
   * Finalize a sitting by id or base name: after a normal stop, again (nothing
   * changes), or after a crash, from what its working folder holds.
   */
  async finalize(ref: string, onProgress?: (p: FinalizeProgress) => void): Promise<SittingFinalized> {
    const row = this.find(ref);
    this.row = row;
    if (row.state === 'recording' || row.state === 'paused') this.store.transition(row.id, 'interrupted', { reason: 'finalize found it still recording: the program had stopped' });
    const dir = this.workDirOf(row);
    const summary = existsSync(join(dir, 'sitting.json')) ? readSummary(dir) : await recoverSummary(dir);
    if (this.store.get(row.id).state !== 'finalizing') this.store.transition(row.id, 'finalizing');
    this.recordSegments(row.id, summary);
    return this.finalizeRow(row.id, summary, onProgress);
  }

  private async finalizeRow(id: number, summary: SittingSummary, onProgress?: (p: FinalizeProgress) => void): Promise<SittingFinalized> {
    const row = this.store.get(id);
    const result = await finalizeSitting({
      root: this.config.recordingsRoot, workDir: summary.dir, summary, fields: row.fields, marks: this.store.marks(id), tools: this.tools,
      ...(onProgress ? { onProgress } : {}),
    });
    const files = result.manifest.files.map((f) => ({ name: f.name, bytes: f.bytes, md5: f.md5 }));
    this.store.transition(id, 'finalized', { finalDir: result.dir, manifest: result.manifestName, files, alreadyFinalized: result.alreadyFinalized });
    // a sitting finalized again keeps its protocol (regenerated only on request)
    let protocol: ProtocolOutcome | undefined;
    if (!result.alreadyFinalized) {
      protocol = await this.makeProtocol(id, result.dir, result.manifestName).then((r): ProtocolOutcome => ({ ok: true, result: r }), (e: unknown) => ({ ok: false, error: e as Error }));
    }
    return { ...result, protocol };
  }

  /** Make (again) a finalized sitting's short protocol: after fixing a template, or to use a new one. */
  async protocol(ref: string): Promise<ProtocolResult> {
    const row = this.find(ref);
    const workDir = this.workDirOf(row);
    if (row.state !== 'finalized' || !existsSync(join(workDir, 'sitting.json'))) {
      throw new AbkError(appError('sitting-not-finalized', `Sitting ${row.base} is not finalized yet: run "abk finalize ${row.base}" first.`,
        `Заседание ${row.base} ещё не финализировано: сначала выполните «abk finalize ${row.base}».`,
        `${row.base} отырысы әлі аяқталмаған: алдымен «abk finalize ${row.base}» орындаңыз.`));
    }
    return this.makeProtocol(row.id, finalDirOf(this.config.recordingsRoot, readSummary(workDir)), fileNames.manifest(row.base));
  }

  /** The protocol from the configured templates; what was made goes into the audit log. */
  private async makeProtocol(id: number, dir: string, manifestName: string): Promise<ProtocolResult> {
    const { templateDir, sofficePath } = this.config.protocol;
    const result = await generateProtocol({ dir, manifestName, templateDir, sofficePath, scratchDir: join(this.config.recordingsRoot, '.work') });
    this.store.note(id, 'protocol', { files: result.files.map((f) => ({ name: f.name, md5: f.md5 })), pdf: result.pdf.ok, template: result.template });
    return result;
  }

  /** Where a sitting records (kept in its row from the start; the default place for one that never started). */
  private workDirOf(row: SittingRow): string {
    return row.dir ?? join(this.config.recordingsRoot, '.work', row.base);
  }

  private recordSegments(id: number, s: SittingSummary): void {
    for (const seg of s.audioSegments) {
      const take = s.takes.find((t) => t.device === seg.device && t.take === seg.take);
      this.store.addAudioSegment(id, { ...seg, path: join(s.dir, seg.file), startSample: (take?.startSample ?? 0) + seg.startFrame });
    }
  }

  find(ref: string): SittingRow {
    const row = this.store.list().find((r) => r.base === ref || (/^\d+$/.test(ref) && r.id === Number(ref)));
    if (!row) {
      throw new AbkError(appError('sitting-not-found', `There is no sitting "${ref}". "abk sittings" lists them.`,
        `Заседание «${ref}» не найдено. Список: «abk sittings».`, `«${ref}» отырысы табылмады. Тізім: «abk sittings».`));
    }
    return row;
  }

  close(): void {
    this.db.close();
  }
}
