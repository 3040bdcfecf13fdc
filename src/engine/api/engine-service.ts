import { EventEmitter } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { locateFfmpeg, type FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import type { EngineEvent, EngineInfo, PrecheckStatus, ROUTES, RouteName, SetupRouteName, RouteOutput, SittingDetail } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { MarkRefs } from './mark-refs.js';
import { AbkError, appError, toAppError, type AppError } from '../../shared/result.js';
import { fileNames } from '../../shared/naming.js';
import type { Manifest } from '../../shared/package-format.js';
import { openDatabase, type Db } from '../db/database.js';
import { engineClock } from '../recorder/clock.js';
import { planDevices } from '../recorder/device-plan.js';
import { Replicator } from '../replication/replicator.js';
import { SittingRecorder, type RecorderEvent } from '../recorder/sitting-recorder.js';
import { DraftStore } from '../sittings/draft-store.js';
import type { FinalizeProgress } from '../finalize/finalize.js';
import { interruptedNotice } from '../sittings/recovery-messages.js';
import { interruptUnfinished, removePrecheckLeftovers } from '../sittings/recovery.js';
import { databasePath, SittingSession, type SittingFinalized } from '../sittings/sitting-session.js';
import { SittingStore } from '../sittings/sitting-store.js';
import { AlarmBoard } from './alarm-board.js';
import { AuditWatch } from './audit-watch.js';
import { LateStamps } from './late-stamps.js';
import { ExportJobs } from './export-jobs.js';
import { LibraryChecks } from './library-checks.js';
import { PlayerJobs } from './player-jobs.js';
import { diskStatus, serverStatus } from './precheck.js';
import { HealthWatch } from './health-watch.js';
import { SelfTestWatch } from './self-test.js';
import { SettingsGuard } from './settings-guard.js';
import { detail, finishedOf, listItem, markView, matches } from './views.js';

export interface EngineOptions {
  config: AbkConfig;
  /** The configuration file, which the settings screen rewrites. */
  configPath?: string;
  /** Environment of the audio capture process (the virtual courtroom's ALSA). */
  captureEnv?: Record<string, string>;
  tools?: FfmpegTools;
  version?: string;
  /**
   * This engine was started by its supervisor after the previous one died: a
   * sitting that was recording a moment ago goes on recording at once, in a new
   * take of the same sitting, so an engine crash costs only the restart.
   */
  restarted?: boolean;
}

/** A sitting interrupted longer ago than this is not continued by itself (the courtroom may have moved on): it is finalized, and the secretary may continue it. */
const AUTO_CONTINUE_MS = 2 * 60_000;
/** A finalize that failed is tried again from the segments this many times in all, this long apart. */
const FINALIZE_ATTEMPTS = 3;
const FINALIZE_RETRY_MS = 2000;

type Handlers = { [K in Exclude<RouteName, SetupRouteName>]: (input: z.output<(typeof ROUTES)[K]>) => Promise<RouteOutput<K>> | RouteOutput<K> };

/** Keys that give the floor, in channel order: shown on the console's buttons. */
export const SEAT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'q', 'w', 'e', 'r', 't', 'y'];

/**
 * The engine behind the API: one recording at a time (and the pre-session
 * check's listening recorder when none is running), the sittings, drafts and
 * marks in SQLite, finalize behind a stopped sitting, the player's listening
 * copies and the IT settings. Everything it does is pushed as events.
 */
export class EngineService extends EventEmitter<{ event: [EngineEvent] }> {
  readonly db: Db;
  readonly store: SittingStore;
  private readonly drafts: DraftStore;
  private readonly tools: FfmpegTools;
  private readonly alarms: AlarmBoard;
  readonly player: PlayerJobs;
  readonly replication: Replicator;
  private readonly settings: SettingsGuard;
  private readonly stamps: LateStamps;
  readonly checks: LibraryChecks;
  readonly exports: ExportJobs;
  private active: { session: SittingSession; id: number; startedWallMs: number; stopping?: Promise<SittingDetail> } | undefined;
  private precheck: SittingRecorder | undefined;
  private precheckStarting: Promise<void> | undefined;
  /** A start under way: a second one is refused, not run beside it. */
  private starting = false;
  private closing = false;
  private readonly audit: AuditWatch;
  private readonly finalizing = new Set<Promise<unknown>>();
  private readonly selfTest = new SelfTestWatch(() => this.config);
  private readonly markRefs = new MarkRefs();
  private readonly health: HealthWatch;

  constructor(private readonly opts: EngineOptions) {
    super();
    this.db = openDatabase(databasePath(opts.config.recordingsRoot));
    this.store = new SittingStore(this.db);
    this.drafts = new DraftStore(this.db);
    this.tools = opts.tools ?? locateFfmpeg(opts.config);
    this.alarms = new AlarmBoard((e) => this.emit('event', e));
    this.audit = new AuditWatch(this.db, () => this.config.recordingsRoot, this.alarms);
    this.player = new PlayerJobs(() => this.config, this.tools.ffmpeg, (e) => this.emit('event', e));
    this.replication = new Replicator(this.db, () => this.config, {
      emit: (e) => this.emit('event', e),
      raise: (key, subject, error) => this.alarms.raise(key, 'replication', subject, error),
      clear: (prefix) => this.alarms.clear(prefix),
    });
    this.stamps = new LateStamps(this.store, () => this.config, {
      raise: (key, subject, error) => this.alarms.raise(key, 'seal', subject, error),
      clear: (prefix) => this.alarms.clear(prefix),
      changed: (dir) => this.replication.enqueue(dir),
    });
    this.checks = new LibraryChecks(this.store, () => this.config, {
      emit: (e) => this.emit('event', e),
      raise: (key, subject, error) => this.alarms.raise(key, 'verify', subject, error),
      clear: (prefix) => this.alarms.clear(prefix),
    });
    this.settings = new SettingsGuard(opts.configPath, () => this.config, (c) => { this.opts.config = c; }, () => this.busy());
    this.health = new HealthWatch(() => this.config, () => this.replication.status(), () => this.active?.session.rec ?? undefined, {
      raise: (key, subject, error) => this.alarms.raise(key, 'replication', subject, error),
      clear: (prefix) => this.alarms.clear(prefix),
    });
    this.exports = new ExportJobs(this.store, () => this.config, this.tools.ffmpeg, { emit: (e) => this.emit('event', e) }, () => this.settings.mustBeUnlocked(), () => this.active !== undefined);
  }

  /** Starts what runs by itself: recovery of what a stopped engine left, then replication to the regional servers. */
  async startBackground(): Promise<this> {
    this.audit.start(this.finishedManifests());
    await this.recover();
    await this.replication.start();
    this.stamps.start();
    this.health.start();
    return this;
  }

  /**
   * Every sitting a stopped engine left recording, paused or finalizing is
   * marked interrupted with its cause, and the secretary is told. One that was
   * recording a moment ago under a restarted engine goes on recording; every
   * other one is finalized from its segments, and can be continued later.
   */
  private async recover(): Promise<void> {
    await removePrecheckLeftovers(this.config.recordingsRoot);
    // a finalized sitting whose protocol a dead engine did not make, or made only in part: made now
    const protocols: Promise<unknown>[] = [];
    for (const row of this.store.withoutProtocol()) {
      const job = new SittingSession(this.db, this.config, this.tools).protocol(String(row.id)).then(
        (r) => {
          this.alarms.clear(`protocol/${row.id}`);
          if (r.sealError) this.alarms.raise(`seal/${row.id}`, 'seal', String(row.id), r.sealError.appError);
          if (r.stampError) this.stamps.missing(row.id, row.base, r.stampError);
        },
        (e: unknown) => this.alarms.raise(`protocol/${row.id}`, 'protocol', String(row.id), toAppError(e, 'protocol-failed')));
      this.finalizing.add(job);
      protocols.push(job);
      void job.finally(() => this.finalizing.delete(job));
    }
    for (const r of await interruptUnfinished(this.store, this.config.recordingsRoot)) {
      const recording = (r.was === 'recording' || r.was === 'paused') && !r.stopping;
      if (this.opts.restarted && recording && Date.now() - r.lastWrittenWallMs < AUTO_CONTINUE_MS && !this.active) {
        try {
          const t0 = performance.now();
          await this.start(r.row.id, { paused: r.was === 'paused', camerasAfter: r.camerasStopped });
          process.stderr.write(`recovery: ${r.row.base} continued in ${Math.round(performance.now() - t0)} ms\n`);
          this.alarms.raise(`recovered/${r.row.id}`, 'recovery', r.row.base, interruptedNotice(r, Date.now()));
          continue;
        } catch (e) {
          this.alarms.raise(`recovered/${r.row.id}/continue`, 'recovery', r.row.base, toAppError(e, 'continue-failed'));
        }
      }
      this.alarms.raise(`recovered/${r.row.id}`, 'recovery', r.row.base, interruptedNotice(r));
      const session = new SittingSession(this.db, this.config, this.tools);
      this.finalizeBehind(r.row.id, r.camerasStopped.then(() => session.finalize(String(r.row.id), this.progressOf(r.row.id))));
    }
    this.settleLeftovers(protocols);
  }

  get config(): AbkConfig {
    return this.opts.config;
  }

  private busy(): string | undefined {
    return this.active ? 'recording' : this.precheck ? 'precheck' : undefined;
  }

  readonly handlers: Handlers = {
    'engine/info': () => this.info(),
    'drafts/list': () => this.drafts.list(),
    'drafts/save': ({ id, fields }) => this.drafts.save(fields, id),
    'drafts/delete': ({ id }) => ({ deleted: this.drafts.delete(id) }),
    'sittings/open': ({ draftId, fields }) => {
      const session = new SittingSession(this.db, this.config, this.tools);
      const row = session.create(fields);
      if (draftId !== undefined) this.drafts.delete(draftId);
      return this.detail(row.id);
    },
    'sittings/list': (q) => {
      const counts = this.replication.outbox.countsBySitting();
      const integrity = this.checks.views();
      return this.store.list().filter((r) => matches(r, q)).map((r) => listItem(r, this.replication.replicasOf(counts.get(r.base) ?? []), integrity(r)));
    },
    'sittings/get': ({ id }) => this.detail(id),
    'sittings/verify': ({ id }) => this.checks.verify(this.store.get(id)),
    'precheck/start': () => this.startPrecheck(),
    'precheck/stop': async () => { this.selfTest.end(); return { stopped: await this.stopPrecheck() }; },
    'precheck/status': () => this.precheckStatus(),
    'precheck/unused': ({ stems }) => {
      const unknown = stems.filter((s) => !this.selfTest.stems.includes(s));
      if (unknown.length > 0) {
        throw new AbkError(appError('unknown-seat', `No microphone ${unknown.join(', ')} in this courtroom's configuration.`,
          `В настройках этого зала нет микрофона ${unknown.join(', ')}.`, `Бұл залдың баптауларында ${unknown.join(', ')} микрофоны жоқ.`));
      }
      this.selfTest.setUnused(stems);
      return this.precheckStatus();
    },
    'health/status': () => this.health.status(),
    'recording/start': ({ id }) => this.start(id),
    'recording/pause': async ({ id }) => { await this.activeFor(id).session.pause(); return this.stateChanged(id); },
    'recording/resume': async ({ id }) => { await this.activeFor(id).session.resume(); return this.stateChanged(id); },
    'recording/stop': ({ id }) => this.stop(id),
    'marks/add': ({ sittingId, kind, seat, participant, text, pressedWallMs, ref }) => {
      const { session } = this.activeFor(sittingId);
      const again = this.markRefs.get(sittingId, ref);
      if (again) return again;
      // the press's own instant when the browser's clock agrees with ours (same PC), else the moment it arrived;
      // its age on the wall clock, placed on the engine's monotonic clock (a clock step does not move it)
      const ageMs = pressedWallMs !== undefined ? Date.now() - pressedWallMs : Infinity;
      const at = engineClock.now() - (ageMs >= 0 && ageMs < 5000 ? ageMs : 0);
      const mark = markView(session.mark({ kind, ...(seat ? { seat } : {}), ...(participant ? { participant } : {}), ...(text ? { text } : {}) }, at), this.config.audio.sampleRate);
      this.markRefs.remember(sittingId, ref, mark);
      this.emit('event', { type: 'mark', sittingId, mark, ...(ref ? { ref } : {}) });
      return mark;
    },
    'player/info': ({ id }) => {
      const info = this.player.info(this.store.get(id));
      if (!info) throw new AbkError(appError('sitting-not-finished', 'This sitting has no finished files yet: it can be played once it is finalized.',
        'У заседания ещё нет готовых файлов: прослушать его можно после завершения.', 'Отырыстың дайын файлдары әлі жоқ: ол аяқталғаннан кейін тыңдауға болады.'));
      return info;
    },
    'alarms/acknowledge': ({ key }) => ({ acknowledged: this.alarms.acknowledge(key) }),
    'settings/unlock': ({ password }) => this.settings.unlock(password),
    'settings/get': () => this.settings.get(),
    'settings/save': async ({ config }) => { const saved = this.settings.save(config); await this.replication.reconfigure(); return saved; },
    'export/targets': () => this.exports.targets(),
    'export/plan': ({ ids }) => this.exports.plan(ids),
    'export/start': ({ ids, target, listening }) => this.exports.start(ids, target, listening),
    'replication/status': () => this.replication.status(),
    'replication/run': ({ reverify }) => { this.replication.runNow(reverify); return this.replication.status(); },
  };

  private info(): EngineInfo {
    const c = this.config;
    let n = 0;
    const seats = planDevices(c.audio.devices).flatMap((plan, d) => plan.tracks.map((tr, i) => {
      const ch = c.audio.devices[d]!.channels[i]!;
      return { stem: tr.stem, seat: ch.seat, ...(ch.label ? { label: ch.label } : {}), device: plan.name, channel: ch.channel, key: SEAT_KEYS[n++] ?? '' };
    }));
    return {
      version: this.opts.version ?? '0', seats, ...(c.language ? { language: c.language } : {}),
      cameras: c.video.cameras.map((cam) => ({ id: cam.id, ...(cam.label ? { label: cam.label } : {}) })),
      servers: c.replication.servers.map((s) => ({ id: s.id, host: s.host, port: s.port })),
      ...(this.active ? { active: { sittingId: this.active.id, state: this.store.get(this.active.id).state, startedWallMs: this.active.startedWallMs } } : {}),
      precheck: this.precheck !== undefined, settingsUnlocked: this.settings.unlocked, alarms: this.alarms.list(),
    };
  }

  private detail(id: number): SittingDetail {
    return detail(this.store.get(id), this.store, this.config, this.replication, this.checks, this.exports);
  }

  private stateChanged(id: number): SittingDetail {
    const d = this.detail(id);
    this.emit('event', { type: 'state', sittingId: id, state: d.state });
    return d;
  }

  private activeFor(id: number): NonNullable<EngineService['active']> {
    if (!this.active || this.active.id !== id) {
      throw new AbkError(appError('sitting-not-recording', `Sitting ${id} is not being recorded now.`, `Заседание ${id} сейчас не записывается.`, `${id} отырысы қазір жазылып жатқан жоқ.`));
    }
    return this.active;
  }

  /** The recorder's events, as the UI needs them: levels, state, problems as alarms until they recover. */
  private relay(e: RecorderEvent, sittingId: number | undefined): void {
    if (e.type === 'levels') this.emit('event', e);
    else if (e.type === 'problem') this.alarms.raise(`${e.source}/${e.subject}/${e.error.code}`, e.source, e.subject, e.error);
    else if (e.type === 'recovered') this.alarms.clear(`${e.source}/${e.subject}/${e.code ?? ''}`);
    else if (e.type === 'gap') {
      const s = ((e.toSample - e.fromSample) / this.config.audio.sampleRate).toFixed(1);
      this.alarms.raise(`gap/${e.device}/${e.fromSample}`, 'audio', e.device, appError('audio-gap',
        `Sound was lost on ${e.device} for ${s} s; recording goes on and the gap is in the protocol.`,
        `Звук на ${e.device} пропал на ${s} с; запись продолжается, разрыв отмечен в протоколе.`,
        `${e.device} дыбысы ${s} с жоғалды; жазба жалғасуда, үзіліс хаттамада белгіленді.`));
    } else if (e.type === 'clock-step' && sittingId !== undefined) {
      this.store.note(sittingId, 'clock-step', { stepMs: e.stepMs, monoMs: e.monoMs });
    } else if (e.type === 'state' && e.state === 'stopping' && sittingId !== undefined && this.active?.id === sittingId && !this.active.stopping) {
      // the recorder stopped by itself (a full disk): finish the sitting as if Stop was pressed
      void this.stop(sittingId).catch(() => undefined); // a failed stop raises its own alarm (stopAndFinalize)
    }
  }

  /** Start (or continue) a sitting: checked against the state machine before anything is started. */
  private async start(id: number, opts: { paused?: boolean; camerasAfter?: Promise<unknown> } = {}): Promise<SittingDetail> {
    if (this.active || this.starting) {
      const which = this.active ? String(this.active.id) : '';
      throw new AbkError(appError('already-recording', `Sitting ${which} is being recorded; stop it first.`,
        `Идёт запись заседания ${which}; сначала остановите её.`, `${which} отырысы жазылуда; алдымен оны тоқтатыңыз.`));
    }
    this.store.assertCanRecord(id);
    this.starting = true;
    try {
      // the check as it stood when Start was pressed goes into the protocol
      const rec0 = this.precheck;
      const selfTest = this.selfTest.snapshot({ disk: diskStatus(this.config), cameras: this.cameraStatus(rec0) });
      const unwatched = this.selfTest.unwatched;
      await this.stopPrecheck();
      const session = new SittingSession(this.db, this.config, this.tools);
      session.select(id);
      const rec = await session.start({ captureEnv: this.opts.captureEnv ?? {}, ...opts, unwatched, ...(selfTest ? { selfTest } : {}) });
      this.selfTest.end();
      this.selfTest.setUnused([]);
      this.active = { session, id, startedWallMs: Date.now() };
      this.replication.setRecording(true);
      rec.on('event', (e) => this.relay(e, id));
      this.alarms.clear(`recovered/${id}`);
    } finally {
      this.starting = false;
    }
    return this.stateChanged(id);
  }

  /** Stop answers once every file is closed; finalize runs behind it and reports progress and its end as events. */
  private stop(id: number): Promise<SittingDetail> {
    const active = this.activeFor(id);
    // a second Stop (a double click, or the disk monitor's own stop) waits for the first
    active.stopping ??= this.stopAndFinalize(active.session, id);
    return active.stopping;
  }

  private async stopAndFinalize(session: SittingSession, id: number): Promise<SittingDetail> {
    // yield first: the recorder announces 'stopping' synchronously, and that must find this stop already under way
    await Promise.resolve();
    let summary: Awaited<ReturnType<SittingSession['stopRecording']>>;
    try {
      summary = await session.stopRecording();
    } catch (e) {
      // the sitting is interrupted (stopRecording says so); the engine is free to record again,
      // and the files are made from what is on disk
      this.alarms.raise(`stop/${id}`, 'recording', String(id), toAppError(e, 'stop-failed'));
      this.finalizeBehind(id, new SittingSession(this.db, this.config, this.tools).finalize(String(id), this.progressOf(id)));
      throw e;
    } finally {
      this.active = undefined;
      this.replication.setRecording(false);
    }
    const d = this.stateChanged(id);
    this.finalizeBehind(id, session.finalizeStopped(summary, this.progressOf(id)));
    return d;
  }

  private progressOf(id: number): (p: FinalizeProgress) => void {
    return (p) => this.emit('event', { type: 'progress', sittingId: id, task: 'finalize', stage: p.step, fraction: p.percent / 100 });
  }

  /**
   * A finalize running behind the UI: its end is an event, its files go to the
   * servers and the player. A failure (an ffmpeg killed, a disk hiccup) is an
   * alarm and is tried again from the segments, a few times, before it waits
   * for IT (`abk finalize`, or the next start of the engine).
   */
  private finalizeBehind(id: number, finalizing: Promise<SittingFinalized>, attempt = 1): void {
    const job = finalizing.then(async (r) => {
      this.stateChanged(id);
      this.emit('event', { type: 'finalized', sittingId: id, ok: true });
      if (r.protocol && !r.protocol.ok) this.alarms.raise(`protocol/${id}`, 'protocol', String(id), toAppError(r.protocol.error, 'protocol-failed'));
      if (r.sealError) this.alarms.raise(`seal/${id}`, 'seal', String(id), r.sealError.appError);
      const row = this.store.get(id);
      if (r.chainFindings) this.alarms.raise(`chain/${id}`, 'finalize', String(id), chainAlarm(row.base, r.chainFindings));
      // the protocol's revision is the current one when it was made: its timestamp is the one that counts
      const stampError = r.protocol?.ok ? r.protocol.result.stampError : r.stampError;
      if (stampError) this.stamps.missing(id, row.base, stampError);
      const done = finishedOf(this.config.recordingsRoot, row);
      if (done) this.replication.enqueue(done.dir);
      this.player.make(row);
      this.alarms.clear(`finalize/${id}`);
      this.readBack(id, row.base, await r.verified);
    }, async (e: unknown) => {
      const error = toAppError(e, 'finalize-failed');
      this.alarms.raise(`finalize/${id}`, 'finalize', String(id), error);
      this.emit('event', { type: 'finalized', sittingId: id, ok: false, error });
      if (attempt >= FINALIZE_ATTEMPTS || this.closing) return;
      await new Promise((r) => setTimeout(r, FINALIZE_RETRY_MS));
      if (!this.closing) this.finalizeBehind(id, new SittingSession(this.db, this.config, this.tools).finalize(String(id), this.progressOf(id)), attempt + 1);
    }).catch((e: unknown) => this.alarms.raise(`finalize/${id}`, 'finalize', String(id), toAppError(e, 'finalize-failed'))); // what went wrong after the files were made (the database closed under it)
    this.finalizing.add(job);
    void job.finally(() => this.finalizing.delete(job));
  }

  /** Every finished sitting's current manifest, with where it is (one that cannot be read is left to the package's own check). */
  private finishedManifests(): { where: string; manifest: Manifest }[] {
    return this.store.list().flatMap((row) => {
      try {
        const done = finishedOf(this.config.recordingsRoot, row);
        return done ? [{ where: join(done.dir, fileNames.manifest(row.base)), manifest: done.manifest }] : [];
      } catch {
        return []; // abk verify and the library report a manifest that cannot be read; the log check needs only the readable ones
      }
    });
  }

  /**
   * A finished sitting whose working folder outlived its read-back check (the
   * engine stopped during it) is finalized again, one after another behind
   * the UI: its files are read back, then the folder goes. They are the
   * ones finalized when this engine started (not one it finalizes itself
   * after recovery: that one settles on its own), taken after the protocols
   * this start makes (a sitting whose engine died before its protocol is one
   * of them), so none is finalized again under its protocol.
   */
  private settleLeftovers(protocols: Promise<unknown>[]): void {
    const rows = this.store.list().filter((r) => r.state === 'finalized' && r.dir !== null && existsSync(r.dir) && !this.store.canContinue(r.id)
      && finishedOf(this.config.recordingsRoot, r) !== undefined);
    if (rows.length === 0) return;
    const job = (async () => {
      await Promise.allSettled(protocols);
      for (const row of rows) {
        if (this.closing) return;
        const r = await new SittingSession(this.db, this.config, this.tools).finalize(String(row.id));
        this.readBack(row.id, row.base, await r.verified);
      }
    })().catch((e: unknown) => this.alarms.raise('finalize/leftovers', 'finalize', '', toAppError(e, 'finalize-failed')));
    this.finalizing.add(job);
    void job.finally(() => this.finalizing.delete(job));
  }

  /** A file that does not read back as its manifest says is an alarm: the working folder is kept, and IT finalizes again. */
  private readBack(id: number, base: string, v: Awaited<SittingFinalized['verified']>): void {
    if (v.ok) {
      this.alarms.clear(`readback/${id}`);
      return;
    }
    const files = v.mismatched.join(', ');
    this.alarms.raise(`readback/${id}`, 'finalize', String(id), appError('read-back-failed',
      `The files of sitting ${base} did not read back as written: ${files}. The recording's segments are kept; check the disk, then run "abk finalize ${base}" or call IT.`,
      `Файлы заседания ${base} при повторном чтении не совпали с записанными: ${files}. Сегменты записи сохранены; проверьте диск и выполните «abk finalize ${base}» или вызовите ИТ-службу.`,
      `${base} отырысының файлдары қайта оқығанда жазылғанымен сәйкес келмеді: ${files}. Жазба сегменттері сақталды; дискіні тексеріп, «abk finalize ${base}» орындаңыз немесе IT қызметін шақырыңыз.`));
  }

  private async startPrecheck(): Promise<PrecheckStatus> {
    if (!this.active && !this.precheck) {
      // a throw-away recording of a few seconds at a time: the real capture path, so what the meters show is what will be recorded
      const rec = new SittingRecorder({ config: this.config, caseNumber: 'precheck', base: `precheck-${Date.now()}`, tools: this.tools, captureEnv: this.opts.captureEnv ?? {}, liveMix: false });
      this.precheck = rec;
      this.selfTest.begin();
      rec.on('event', (e) => { this.selfTest.observe(e); this.relay(e, undefined); });
      const started = rec.start();
      this.precheckStarting = started;
      try {
        await started;
      } finally {
        if (this.precheckStarting === started) this.precheckStarting = undefined;
      }
    }
    return this.precheckStatus();
  }

  private async stopPrecheck(): Promise<boolean> {
    const rec = this.precheck;
    if (!rec) return false;
    this.precheck = undefined;
    // a check still starting is let finish first: a stop while it starts would be refused and leave it recording into a folder removed below
    await this.precheckStarting?.catch(() => undefined); // its failure is the start's caller's to report
    try {
      await rec.stop();
    } catch (e) {
      // its recording is thrown away anyway; what went wrong is still told
      this.alarms.raise('precheck/stop', 'precheck', rec.dir, toAppError(e, 'precheck-stop-failed'));
    }
    rmSync(rec.dir, { recursive: true, force: true });
    return true;
  }

  readonly mode = 'engine';

  /** `GET /media/camera/<id>.jpg` (a camera's latest frame) and `/media/<sitting id>/<file>` (the player's). */
  mediaPath([what, file]: string[]): string | undefined {
    if (what === 'camera' && file?.endsWith('.jpg')) return this.cameraPreview(file.slice(0, -4));
    if (!what || !/^\d+$/.test(what) || !file) return undefined;
    try {
      return this.player.mediaPath(this.store.get(Number(what)), file);
    } catch (e) {
      if (e instanceof AbkError) return undefined; // no such sitting or file: a 404
      throw e;
    }
  }

  /** Where the camera's latest preview frame is (the check's or the recording's camera). */
  cameraPreview(camId: string): string | undefined {
    const rec = this.active ? this.active.session.rec : this.precheck;
    return rec?.previewPath(camId);
  }

  private async precheckStatus(): Promise<PrecheckStatus> {
    const rec = this.active ? this.active.session.rec : this.precheck;
    const servers = await serverStatus(this.config);
    this.selfTest.noteServers(servers);
    return {
      running: this.precheck !== undefined,
      disk: diskStatus(this.config),
      servers,
      cameras: this.cameraStatus(rec),
      microphones: this.selfTest.microphones(),
    };
  }

  private cameraStatus(rec: SittingRecorder | undefined): PrecheckStatus['cameras'] {
    return this.config.video.cameras.map((c) => ({ id: c.id, ...(c.label ? { label: c.label } : {}), ...(rec ? rec.cameraHealth(c.id) : { ok: false, detail: 'not started' }) }));
  }

  /** Stop whatever records (finishing the sitting's files), wait for finalize, close the database. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.active) await this.stop(this.active.id).catch(() => undefined); // a failed stop raises its own alarm
    await this.stopPrecheck();
    await Promise.allSettled([...this.finalizing]);
    await this.stamps.stop();
    await this.checks.stop();
    await this.exports.settled(); // a disc half-burned is a disc lost: the copy under way ends first
    await this.replication.stop();
    this.health.stop();
    this.audit.stop();
    this.db.close();
  }

}

/** What the sitting's chain found at finalize, for the secretary: the recording was tampered with before its files were made. */
function chainAlarm(base: string, findings: { name: string; status: string }[]): AppError {
  const names = findings.map((f) => `${f.name} (${f.status})`).join(', ');
  return appError('chain-findings',
    `Sitting ${base}: parts of the recording were removed or changed after they were recorded and before finalize: ${names}. The files were made from what is left and the protocol says so; call IT.`,
    `Заседание ${base}: части записи удалены или изменены после записи и до завершения: ${names}. Файлы сделаны из оставшегося, протокол это указывает; вызовите ИТ-службу.`,
    `${base} отырысы: жазба бөліктері жазылғаннан кейін, аяқталғанға дейін жойылған немесе өзгертілген: ${names}. Файлдар қалғанынан жасалды, хаттамада көрсетілген; IT қызметін шақырыңыз.`);
}
