import { EventEmitter } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CopyView, EngineEvent, ReplicaView, ReplicationStatus, ServerStatus } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { appError, type AppError } from '../../shared/result.js';
import { appendEvent } from '../db/audit-log.js';
import type { Db } from '../db/database.js';
import { RateLimiter } from './rate-limiter.js';
import { baseOf, ReplicationOutbox, relDirOf, type CopyCounts, type ReplicationJob } from './replication-outbox.js';
import { ServerWorker, type WorkerReport } from './server-worker.js';
import { watchFinishedSittings } from './sitting-watcher.js';

export interface ReplicatorSink {
  emit(e: EngineEvent): void;
  raise(key: string, subject: string, error: AppError): void;
  clear(prefix: string): void;
}

/**
 * Replication to the regional servers (ARCHITECTURE §5): the outbox, one
 * worker per configured server, the watcher that finds finished sittings in
 * the recordings root, and the speed cap while a sitting is recorded. One
 * process at a time replicates a recordings root (a lock file with its pid),
 * so the engine and `abk replicate run` never send the same file twice at once.
 */
export class Replicator extends EventEmitter<{ report: [WorkerReport] }> {
  readonly outbox: ReplicationOutbox;
  private readonly limiter = new RateLimiter();
  private workers = new Map<string, ServerWorker>();
  private watcher: ReturnType<typeof watchFinishedSittings> | undefined;
  private recording = false;
  /** Alarms about a server itself (unreachable, refused), cleared when it works again. */
  private readonly serverAlarms = new Set<string>();
  private locked = false;

  constructor(private readonly db: Db, private readonly config: () => AbkConfig, private readonly sink: ReplicatorSink) {
    super();
    this.outbox = new ReplicationOutbox(db);
    this.setRecording(false);
  }

  private get root(): string {
    return this.config().recordingsRoot;
  }

  private get lockPath(): string {
    return join(this.root, '.replication.lock');
  }

  /** Starts the workers (and the watcher); false when another process holds the recordings root's replication. */
  async start(opts: { watch: boolean } = { watch: true }): Promise<boolean> {
    const holder = takeLock(this.lockPath);
    if (holder !== undefined) {
      this.sink.raise('replication/lock', 'replication', appError('replication-busy', `Another ABK process (pid ${holder}) is copying these recordings to the servers; this one leaves it to it.`,
        `Другой процесс ABK (pid ${holder}) уже копирует эти записи на серверы; этот ему не мешает.`, `Басқа ABK процесі (pid ${holder}) бұл жазбаларды серверлерге көшіріп жатыр; бұл процесс оған кедергі келтірмейді.`));
      return false;
    }
    this.locked = true;
    this.startWorkers();
    if (opts.watch) {
      this.watcher = watchFinishedSittings(this.root, (dir) => this.enqueue(dir));
      await this.watcher.ready;
    }
    return true;
  }

  private startWorkers(): void {
    this.limiter.parties = this.config().replication.servers.length;
    for (const s of this.config().replication.servers) {
      const w = new ServerWorker(s, { outbox: this.outbox, limiter: this.limiter, root: () => this.root, replication: () => this.config().replication, report: (r) => this.onReport(r) });
      this.workers.set(s.id, w);
      w.start();
    }
  }

  /** The configuration changed (settings saved): the workers start again with it, and blocked servers are tried again. */
  async reconfigure(): Promise<void> {
    if (!this.locked) return;
    const old = [...this.workers.values()];
    this.workers = new Map();
    await Promise.all(old.map((w) => w.stop()));
    this.sink.clear('replication/');
    this.serverAlarms.clear();
    this.setRecording(this.recording);
    this.startWorkers();
  }

  /** A finished sitting's folder: its files go in the outbox for every server. */
  enqueue(dir: string): number {
    let n: number;
    try {
      n = this.outbox.enqueueSitting(this.root, dir, this.config().replication.servers.map((s) => s.id));
      this.sink.clear(`replication/package/${dir}`);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.sink.raise(`replication/package/${dir}`, dir, appError('package-unreadable', `The sitting in ${dir} is not sent to the servers: its manifest cannot be read (${why}). Run "abk verify ${dir}".`,
        `Заседание в ${dir} не отправляется на серверы: его манифест не читается (${why}). Выполните «abk verify ${dir}».`,
        `${dir} ішіндегі отырыс серверлерге жіберілмейді: оның манифесі оқылмайды (${why}). «abk verify ${dir}» орындаңыз.`));
      return 0;
    }
    if (n > 0) {
      for (const w of this.workers.values()) w.wake();
      this.replicasChanged(relDirOf(this.root, dir));
    }
    return n;
  }

  /** While a sitting is recorded, copies go at the configured low speed (or wait). */
  setRecording(recording: boolean): void {
    this.recording = recording;
    const r = this.config().replication;
    this.limiter.set(recording ? r.whileRecordingKiBps : r.maxKiBps > 0 ? r.maxKiBps : undefined);
  }

  runNow(reverify = false): void {
    this.outbox.dueNow();
    if (reverify) this.outbox.reverifyNow();
    for (const w of this.workers.values()) w.wake();
  }

  private onReport(r: WorkerReport): void {
    if (r.type === 'state') {
      const s = this.status().servers.find((x) => x.id === r.server);
      if (s) this.sink.emit({ type: 'server', server: s });
    } else if (r.type === 'problem' && r.job) {
      this.sink.raise(fileAlarm(r.job), r.server, r.error);
    } else if (r.type === 'problem') {
      const key = `replication/${r.server}/${r.error.code}`;
      this.serverAlarms.add(key);
      this.sink.raise(key, r.server, r.error);
    } else if (r.type === 'recovered') {
      // the server's own problems; a file's stays until that file is verified
      for (const key of [...this.serverAlarms].filter((k) => k.startsWith(`replication/${r.server}/`))) { this.serverAlarms.delete(key); this.sink.clear(key); }
    } else {
      const { job } = r;
      appendEvent(this.db, null, r.type === 'verified' ? 'replica-verified' : 'replica-reopened',
        { server: job.server, dir: job.relDir, file: job.file, md5: job.md5, ...(r.type === 'verified' ? { how: r.how, resumedFrom: r.resumedFrom, sentBytes: r.sentBytes } : { reason: r.reason }) });
      if (r.type === 'verified') this.sink.clear(fileAlarm(job));
      else {
        this.sink.raise(fileAlarm(job), job.server, r.reason === 'present'
          ? appError('copy-reopened', `${job.file} is back on ${job.server}, though the package no longer has it (an old seal file); it is being removed again.`,
            `${job.file} снова есть на ${job.server}, хотя в пакете его больше нет (старый файл печати); он удаляется снова.`,
            `${job.file} пакетте енді жоқ болса да (ескі мөр файлы), ${job.server} серверінде қайта пайда болды; ол қайта жойылуда.`)
          : appError('copy-reopened', `The copy of ${job.file} on ${job.server} was found ${r.reason}; it is being sent again.`,
            `Копия ${job.file} на ${job.server} ${r.reason === 'missing' ? 'пропала' : 'изменена'}; она отправляется заново.`,
            `${job.server} серверіндегі ${job.file} көшірмесі ${r.reason === 'missing' ? 'жоғалған' : 'өзгертілген'}; ол қайта жіберілуде.`));
        this.workers.get(job.server)?.wake();
      }
      this.replicasChanged(job.relDir);
    }
    this.emit('report', r);
  }

  private replicasChanged(relDir: string): void {
    this.sink.emit({ type: 'replicas', base: baseOf(relDir), replicas: this.replicasOfDir(relDir) });
  }

  /** A sitting's copy counts as shown: every configured server, one with no job yet as 0/0. */
  replicasOf(counts: readonly CopyCounts[]): ReplicaView[] {
    return this.config().replication.servers.map((s) => counts.find((c) => c.server === s.id) ?? { server: s.id, verified: 0, total: 0 });
  }

  /** Verified and total copies on each configured server of the sitting in `relDir`. */
  replicasOfDir(relDir: string): ReplicaView[] {
    return this.replicasOf(this.outbox.countsOf(relDir));
  }

  /** Every worker has done what it can for now: nothing due and nothing to check, or its server is out of reach or refused. */
  settled(): boolean {
    return [...this.workers.values()].every((w) => w.settled());
  }

  /** Each file of a sitting's folder with its copy on each server. */
  copiesOf(relDir: string): Map<string, CopyView[]> {
    const out = new Map<string, CopyView[]>();
    for (const j of this.outbox.jobs(relDir)) {
      out.set(j.file, [...(out.get(j.file) ?? []), { server: j.server, state: j.state, ...(j.lastError ? { lastError: j.lastError } : {}) }]);
    }
    return out;
  }

  status(): ReplicationStatus {
    const counts = this.outbox.serverCounts();
    const servers: ServerStatus[] = this.config().replication.servers.map((s) => {
      const w = this.workers.get(s.id);
      const c = counts.find((x) => x.server === s.id) ?? { pending: 0, verified: 0, pendingBytes: 0 };
      return {
        id: s.id, host: s.host, port: s.port, state: w ? w.state : 'off', pending: c.pending, verified: c.verified, pendingBytes: c.pendingBytes,
        ...(w?.lastError ? { lastError: w.lastError } : {}), ...(w?.retryAtMs ? { retryAtMs: w.retryAtMs } : {}), ...(w?.current ? { current: { ...w.current } } : {}),
      };
    });
    const r = this.config().replication;
    const cap = this.recording ? r.whileRecordingKiBps : r.maxKiBps || undefined;
    return { servers, recording: this.recording, ...(cap !== undefined ? { capKiBps: cap } : {}) };
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
    this.watcher = undefined;
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
    if (this.locked) rmSync(this.lockPath, { force: true });
    this.locked = false;
  }
}

/** The alarm of one file's copy on one server: stays until that copy is verified. */
const fileAlarm = (job: ReplicationJob): string => `replication/${job.server}/file/${job.id}`;

/** Takes the lock file for this process; returns the pid holding it when another live process does. */
function takeLock(path: string): number | undefined {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return undefined;
  } catch {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) return pid;
    writeFileSync(path, String(process.pid));
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
