import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { locateFfmpeg } from '../../capture/video/ffmpeg-locate.js';
import type { AbkConfig } from '../../shared/config.js';
import { fileNames } from '../../shared/naming.js';
import { isLive, Lifecycle, phaseOf, refusedMove, TRANSIENT } from '../../shared/lifecycle.js';
import { AbkError, appError, toAppError, type AppError } from '../../shared/result.js';
import type { InterruptionCause, MarkInput, SittingFieldsInput } from '../../shared/sitting.js';
import { auditHead } from '../db/audit-log.js';
import { DATABASE_FILE, openDatabase, type Db } from '../db/database.js';
import { finalDirOf, finalizeAgain, finalizeSitting, type FinalizeProgress, type FinalizeResult } from '../finalize/finalize.js';
import { generateProtocol, type ProtocolResult } from '../protocol/protocol.js';
import { engineClock } from '../recorder/clock.js';
import { writeAnchor } from '../package/audit-check.js';
import { writeJsonAtomic } from '../recorder/sitting-folder.js';
import { checkChain, type ChainCheck, type ChainFinding } from '../package/chain-check.js';
import { configuredIdentity, keyDirOf, type SealIdentity } from '../package/seal.js';
import { SittingRecorder, type SittingSummary } from '../recorder/sitting-recorder.js';
import type { SelfTest } from '../../shared/health.js';
import { interruptedNotice } from './recovery-messages.js';
import { finishedDirOf, interruptUnfinished, summaryOf, workDirOf } from './recovery.js';
import { SittingStore, type Mark, type SittingRow } from './sitting-store.js';

export const databasePath = (root: string): string => join(root, DATABASE_FILE);

export type MarkRequest = Omit<MarkInput, 'atSample' | 'wallMs'>;

/** The protocol made after the files: it never fails finalize (a bad template is fixed and `abk protocol` run again). */
export type ProtocolOutcome = { ok: true; result: SessionProtocol } | { ok: false; error: Error };
/** `sealError`: the appliance's key could not be had (openssl missing, its folder unwritable): the files are complete, the manifest is not sealed. */
export type SittingFinalized = Omit<FinalizeResult, 'verified'> & {
  protocol: ProtocolOutcome | undefined; sealError?: AbkError; verified: Promise<ReadBack>;
  /** The sitting's chain did not match its working folder or marks: what was removed or changed after it was recorded. */
  chainFindings?: ChainFinding[];
};
/**
 * Every file read back against the manifest; then the working folder is
 * removed (`workRemoved`), unless the sitting may still be continued or a
 * file did not match (the segments are what it would be made again from).
 */
export interface ReadBack { ok: boolean; mismatched: string[]; workRemoved: boolean; workError?: string }
export type SessionProtocol = ProtocolResult & { sealError?: AbkError };

/**
 * One sitting from opening to its finished files: the database row, its
 * lifecycle (one phase that the recorder and its cameras follow, checked
 * before anything is done: shared/lifecycle.ts), the marks (stamped with the
 * audio position of the moment they were made), and finalize at stop. The
 * CLI, the API server and the tests all drive sittings through this.
 */
export class SittingSession {
  readonly store: SittingStore;
  private recorder: SittingRecorder | undefined;
  private row: SittingRow | undefined;
  private life: Lifecycle | undefined;
  private readonly checks = new Set<Promise<ReadBack>>();

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
    this.life = undefined;
    return this.row;
  }

  /** The selected sitting's phase: this session's while it drives it, else what the database says. */
  get phase(): Lifecycle['phase'] {
    return this.lifeOf(this.sitting).phase;
  }

  private lifeOf(row: SittingRow): Lifecycle {
    if (!this.life || this.row?.id !== row.id) {
      this.row = row;
      this.life = new Lifecycle(phaseOf(row.state));
    }
    return this.life;
  }

  /**
   * Record the selected sitting: a new one, or one that was interrupted,
   * continued in a new take on the same timeline (its gap and the cause go
   * into the protocol). The state machine is asked first, before anything is
   * started; a sitting finished by Stop is refused.
   */
  async start(opts: { captureEnv?: Record<string, string>; liveMix?: boolean; paused?: boolean; camerasAfter?: Promise<unknown>; unwatched?: string[]; selfTest?: SelfTest } = {}): Promise<SittingRecorder> {
    const row = this.store.assertCanRecord(this.sitting.id);
    const life = this.lifeOf(row);
    life.move('starting'); // a second start, or one while stopping, is refused here, before anything is done
    let rec: SittingRecorder;
    let resume: Awaited<ReturnType<SittingSession['continuation']>> | undefined;
    try {
      resume = row.state === 'ready' ? undefined : await this.continuation(row);
      rec = new SittingRecorder({
        config: this.config, caseNumber: row.fields.caseNumber, base: row.base, tools: this.tools, lifecycle: life,
        ...(opts.captureEnv ? { captureEnv: opts.captureEnv } : {}), ...(opts.liveMix === false ? { liveMix: false } : {}),
        ...(resume ? { resume } : {}), ...(opts.paused ? { startPaused: true } : {}), ...(opts.camerasAfter ? { camerasAfter: opts.camerasAfter } : {}),
        ...(opts.unwatched ? { unwatched: opts.unwatched } : {}), ...(opts.selfTest ? { selfTest: opts.selfTest } : {}),
      });
      this.chainSegments(rec, row.id);
      await rec.start();
    } catch (e) {
      if (life.phase === 'starting') life.back(); // the recorder has gone back itself when it got as far as starting
      throw e;
    }
    this.recorder = rec;
    // the files made from the part before are superseded by the whole sitting's at its Stop; they are kept in the working folder
    if (row.state === 'finalized') this.supersedeFinal(resume!.summary);
    this.store.transition(row.id, 'recording', { dir: rec.dir, ...(resume ? { continued: { cause: resume.cause, afterWallMs: resume.summary.stoppedWallMs } } : {}) });
    if (opts.paused) this.store.transition(row.id, 'paused', { atSample: rec.positionSamples() });
    return rec;
  }

  /**
   * Every chunk of audio data the capture completes, and every segment the
   * recorder closes, enters the sitting's chain in the audit log at once; a
   * chain that cannot be written is a problem the secretary sees (the
   * recording goes on).
   */
  private chainSegments(rec: SittingRecorder, id: number): void {
    rec.on('event', (e) => {
      if (e.type !== 'segment' && e.type !== 'chunk') return;
      try {
        if (e.type === 'chunk') this.store.chainAppend(id, 'chunk', e.file, e.sha256, Date.now(), { bytes: e.bytes, offset: e.offset });
        else this.store.chainAppend(id, 'segment', e.file, e.dataSha256, Date.now(), { bytes: e.bytes, ...(e.chunkBytes ? { chunkBytes: e.chunkBytes } : {}) });
      } catch (err) {
        rec.problem('disk', 'audit log', toAppError(err, 'chain-not-written'));
      }
    });
  }

  /** What an interrupted sitting recorded, and why it stopped: the recorder continues from it. */
  private async continuation(row: SittingRow): Promise<{ summary: SittingSummary; cause: InterruptionCause }> {
    const summary = await summaryOf(this.workDirOf(row));
    return { summary, cause: this.store.lastInterruption(row.id)?.cause ?? 'program-stopped' };
  }

  /**
   * The package made from the part before is moved aside, whole with its seal,
   * to `<root>/.superseded/<base>/<n>` (outside the working folder, which goes
   * once the whole sitting is finalized): the whole sitting's replaces it at Stop.
   */
  private supersedeFinal(summary: SittingSummary): void {
    const dir = finalDirOf(this.config.recordingsRoot, summary);
    if (!existsSync(dir)) return;
    const aside = join(this.config.recordingsRoot, '.superseded', summary.base);
    mkdirSync(aside, { recursive: true });
    renameSync(dir, join(aside, String(readdirSync(aside).length + 1)));
  }

  /**
   * A mark at the instant `monoMs` of the engine's monotonic clock (the key
   * press), placed on the audio timeline; the wall clock of that instant is
   * kept beside it.
   */
  mark(input: MarkRequest, monoMs = engineClock.now()): Mark {
    const atSample = this.rec.positionAt(monoMs);
    const wallMs = Math.round(monoMs + engineClock.drift());
    return this.store.addMark(this.sitting.id, { ...input, atSample, wallMs });
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
    const rec = this.rec;
    const id = this.sitting.id;
    this.store.note(id, 'stop-requested', {});
    let summary: SittingSummary;
    try {
      summary = await rec.stop();
    } catch (e) {
      // what was recorded is on disk: the sitting is interrupted, and finalize makes its files from the segments
      this.store.transition(id, 'interrupted', { cause: 'program-stopped', reason: `stop failed: ${(e as Error).message}` });
      throw e;
    }
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
    const mine = this.row?.id === row.id ? this.life : undefined;
    // this session records it now: it is stopped first (Stop), not finalized under the recorder's feet
    if (mine && (isLive(mine.phase) || TRANSIENT.includes(mine.phase))) throw refusedMove(mine.phase, 'finalizing');
    this.select(row.id);
    if (row.state === 'recording' || row.state === 'paused') this.store.transition(row.id, 'interrupted', { reason: 'finalize found it still recording: the program had stopped' });
    // a finished sitting is finalized again from its folder: its working folder may be gone
    const done = finishedDirOf(this.config.recordingsRoot, row);
    const summary = done ? undefined : await summaryOf(this.workDirOf(row));
    if (this.store.get(row.id).state !== 'finalizing') this.store.transition(row.id, 'finalizing');
    if (summary) this.recordSegments(row.id, summary);
    return this.finalizeRow(row.id, summary ?? done!, onProgress);
  }

  /** Finalize from what was recorded (`from` a summary), or again a sitting whose files are in place (`from` its folder). */
  private async finalizeRow(id: number, from: SittingSummary | string, onProgress?: (p: FinalizeProgress) => void): Promise<SittingFinalized> {
    const row = this.store.get(id);
    const life = this.lifeOf(row);
    life.move('finalizing');
    let result: FinalizeResult;
    const seal = await this.sealIdentity(id);
    const identity = 'identity' in seal ? seal.identity : undefined;
    let chain: ChainCheck | undefined;
    try {
      const checked = typeof from === 'string' ? undefined : await this.checkedChain(id, from);
      chain = checked?.chain;
      result = !checked ? await finalizeAgain(from as string, row.base, identity) : await finalizeSitting({
        root: this.config.recordingsRoot, workDir: checked.summary.dir, summary: checked.summary, fields: row.fields, marks: this.store.marks(id), tools: this.tools,
        maxWavBytes: this.config.audio.maxWavPartBytes, seal: identity, ...(onProgress ? { onProgress } : {}),
        trail: { audit: auditHead(this.db), chain: checked.chain.head ? { entries: checked.chain.entries, head: checked.chain.head } : null, findings: checked.chain.findings },
      });
      const files = result.manifest.files.map((f) => ({ name: f.name, bytes: f.bytes, md5: f.md5 }));
      this.store.transition(id, 'finalized', { finalDir: result.dir, manifest: result.manifestName, files, alreadyFinalized: result.alreadyFinalized });
    } catch (e) {
      life.move('stopped'); // the files are closed and wait for a finalize: tried again from the segments
      throw e;
    }
    life.move('finalized');
    // a sitting finalized again keeps its protocol (regenerated only on request); one whose
    // engine died between the files and the protocol gets it now
    let protocol: ProtocolOutcome | undefined;
    if (!result.alreadyFinalized || !existsSync(join(result.dir, fileNames.protocol(row.base, 'xml')))) {
      protocol = await this.makeProtocol(id, result.dir, result.manifestName).then((r): ProtocolOutcome => ({ ok: true, result: r }), (e: unknown) => ({ ok: false, error: e as Error }));
    }
    const verified = result.verified.then((v) => this.settle(id, result, v));
    this.checks.add(verified);
    const done = (): boolean => this.checks.delete(verified);
    verified.then(done, done); // the caller awaits it and gets its failure
    return { ...result, verified, protocol, ...('error' in seal ? { sealError: seal.error } : {}), ...(chain && !chain.ok ? { chainFindings: chain.findings } : {}) };
  }

  /**
   * The sitting's chain checked against its working folder before finalize
   * (sizes, not a read of every byte: db/chain.ts, package/chain-check.ts).
   * What it finds goes into the audit log and the manifest; a segment removed
   * after it was recorded becomes silence with its cause in the gaps, so the
   * protocol says so instead of the sound closing up over it.
   */
  private async checkedChain(id: number, s: SittingSummary): Promise<{ summary: SittingSummary; chain: ChainCheck }> {
    const chain = await checkChain(this.store.chain(id), s.dir, this.store.marks(id), { data: false });
    const done = this.withFindings(id, s, chain);
    // what the files are made from, kept (in .logs/<base> once the working folder goes) for IT and the soak's checks
    writeJsonAtomic(join(s.dir, 'sitting.finalized.json'), done.summary);
    return done;
  }

  private withFindings(id: number, s: SittingSummary, chain: ChainCheck): { summary: SittingSummary; chain: ChainCheck } {
    if (chain.ok) return { summary: s, chain };
    this.store.note(id, 'chain-findings', { findings: chain.findings });
    const removed = new Set(chain.findings.filter((f) => f.kind === 'segment' && f.status === 'missing').map((f) => f.name));
    const gaps: SittingSummary['gaps'] = s.audioSegments.filter((a) => removed.has(a.file)).map((a) => {
      const from = (s.takes.find((t) => t.device === a.device && t.take === a.take)?.startSample ?? 0) + a.startFrame;
      return { device: a.stem, fromSample: from, toSample: from + a.frames, cause: 'segment-removed' };
    });
    return { summary: { ...s, audioSegments: s.audioSegments.filter((a) => !removed.has(a.file)), gaps: [...s.gaps, ...gaps] }, chain };
  }

  /**
   * After the read-back check: what it found goes into the audit log, and a
   * sitting that matched and can no longer be continued loses its working
   * folder (its package holds everything; the library, the player and
   * replication read the package). Never throws: what failed is in the result.
   */
  private settle(id: number, result: FinalizeResult, v: { ok: boolean; mismatched: string[] }): ReadBack {
    const row = this.store.get(id);
    this.store.note(id, 'read-back', { dir: result.dir, ok: v.ok, mismatched: v.mismatched });
    const work = this.workDirOf(row);
    if (!v.ok || this.store.canContinue(id) || !existsSync(work)) return { ...v, workRemoved: false };
    try {
      // its diagnostics and its recorder's log stay for IT, small, in <root>/.logs/<base>
      const logs = join(this.config.recordingsRoot, '.logs', row.base);
      mkdirSync(logs, { recursive: true });
      for (const f of readdirSync(work)) if (/\.(log|jsonl)$|^sitting(\.start|\.finalized)?\.json$/.test(f)) renameSync(join(work, f), join(logs, f));
      rmSync(work, { recursive: true, force: true });
      // a file finalize hard-linked from the working folder shares its attributes: read-only again (Windows clears it to delete)
      for (const f of result.manifest.files) chmodSync(join(result.dir, f.name), 0o444);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.store.note(id, 'work-kept', { dir: work, error });
      return { ...v, workRemoved: false, workError: error };
    }
    this.store.note(id, 'work-removed', { dir: work, logs: join(this.config.recordingsRoot, '.logs', row.base) });
    return { ...v, workRemoved: true };
  }

  /** Make (again) a finalized sitting's short protocol: after fixing a template, or to use a new one. */
  async protocol(ref: string): Promise<SessionProtocol> {
    const row = this.find(ref);
    const dir = finishedDirOf(this.config.recordingsRoot, row);
    if (!dir) {
      throw new AbkError(appError('sitting-not-finalized', `Sitting ${row.base} is not finalized yet: run "abk finalize ${row.base}" first.`,
        `Заседание ${row.base} ещё не финализировано: сначала выполните «abk finalize ${row.base}».`,
        `${row.base} отырысы әлі аяқталмаған: алдымен «abk finalize ${row.base}» орындаңыз.`));
    }
    return this.makeProtocol(row.id, dir, fileNames.manifest(row.base));
  }

  /** The protocol from the configured templates; what was made goes into the audit log. */
  private async makeProtocol(id: number, dir: string, manifestName: string): Promise<SessionProtocol> {
    const { templateDir, sofficePath } = this.config.protocol;
    const seal = await this.sealIdentity(id);
    // without the key the protocol is still made (the order requires it); its revision is left unsealed and abk verify says so
    const result = await generateProtocol({ dir, manifestName, templateDir, sofficePath, scratchDir: join(this.config.recordingsRoot, '.work'), seal: 'identity' in seal ? seal.identity : undefined, audit: auditHead(this.db) });
    this.store.note(id, 'protocol', { files: result.files.map((f) => ({ name: f.name, md5: f.md5 })), pdf: result.pdf.ok, template: result.template });
    return 'error' in seal ? { ...result, sealError: seal.error } : result;
  }

  /**
   * The appliance's signing identity (made at first use): every manifest
   * revision is sealed with it. Without it a sitting is still finalized (its
   * files matter more than their seal), and why goes into the audit log.
   */
  private async sealIdentity(id: number): Promise<{ identity: SealIdentity } | { error: AbkError }> {
    const dir = keyDirOf(this.config);
    try {
      return { identity: await configuredIdentity(this.config) };
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      this.store.note(id, 'seal-unavailable', { keyDir: dir, error: why });
      return { error: new AbkError(appError('seal-unavailable',
        `The manifest was not sealed: the appliance's signing key in ${dir} could not be made or read (${why}). Install openssl or set seal.openssl, check that folder, then run "abk protocol" to seal a new revision.`,
        `Манифест не запечатан: ключ подписи комплекса в ${dir} не удалось создать или прочитать (${why}). Установите openssl или укажите seal.openssl, проверьте эту папку и выполните «abk protocol», чтобы запечатать новую редакцию.`,
        `Манифест мөрленбеді: ${dir} ішіндегі кешеннің қол қою кілтін жасау не оқу мүмкін болмады (${why}). openssl орнатыңыз немесе seal.openssl көрсетіңіз, бұл қалтаны тексеріп, жаңа редакцияны мөрлеу үшін «abk protocol» орындаңыз.`)) };
    }
  }

  private workDirOf(row: SittingRow): string {
    return workDirOf(this.config.recordingsRoot, row);
  }

  private recordSegments(id: number, s: SittingSummary): void {
    for (const seg of s.audioSegments) {
      const take = s.takes.find((t) => t.device === seg.device && t.take === seg.take);
      this.store.addAudioSegment(id, { ...seg, path: join(s.dir, seg.file), startSample: (take?.startSample ?? 0) + seg.startFrame });
    }
  }

  /**
   * What an engine that stopped left unfinished (for the CLI: `abk record`
   * starts with this): each such sitting is marked interrupted and finalized
   * from its segments; `tell` gets what the secretary should know of each.
   */
  async recoverUnfinished(tell: (notice: AppError) => void): Promise<SittingFinalized[]> {
    const done: SittingFinalized[] = [];
    for (const r of await interruptUnfinished(this.store, this.config.recordingsRoot)) {
      tell(interruptedNotice(r));
      await r.camerasStopped;
      done.push(await this.finalize(String(r.row.id)));
    }
    this.row = undefined;
    return done;
  }

  find(ref: string): SittingRow {
    const row = this.store.list().find((r) => r.base === ref || (/^\d+$/.test(ref) && r.id === Number(ref)));
    if (!row) {
      throw new AbkError(appError('sitting-not-found', `There is no sitting "${ref}". "abk sittings" lists them.`,
        `Заседание «${ref}» не найдено. Список: «abk sittings».`, `«${ref}» отырысы табылмады. Тізім: «abk sittings».`));
    }
    return row;
  }

  /**
   * Closes the database once every read-back check this session started has
   * written what it found, and the audit log's head is written down beside it.
   */
  async close(): Promise<void> {
    await Promise.allSettled([...this.checks]);
    try {
      writeAnchor(this.config.recordingsRoot, this.db);
    } finally {
      this.db.close();
    }
  }
}
