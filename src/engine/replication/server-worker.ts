import { setMaxListeners } from 'node:events';
import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { AbkConfig } from '../../shared/config.js';
import { AbkError, appError, toAppError, type AppError } from '../../shared/result.js';
import { ABSENT_MD5, type ReplicationJob, type ReplicationOutbox } from './replication-outbox.js';
import type { RateLimiter } from './rate-limiter.js';
import { findSftp } from './openssh-transfer.js';
import { remotePathOf } from './remote-path.js';
import { BLOCKING, CHUNK, SftpLink, WINDOW, type ServerConfig } from './sftp-link.js';

export type ServerState = 'idle' | 'connecting' | 'sending' | 'verifying' | 'checking' | 'waiting' | 'blocked';

export type WorkerReport =
  | { type: 'state'; server: string }
  | { type: 'verified'; job: ReplicationJob; how: 'remote' | 'read-back' | 'already-there' | 'removed'; resumedFrom: number; sentBytes: number }
  | { type: 'reopened'; job: ReplicationJob; reason: 'missing' | 'altered' | 'present' }
  | { type: 'problem'; server: string; error: AppError; /** set when the problem is this file's alone */ job?: ReplicationJob }
  | { type: 'recovered'; server: string };

export interface WorkerHost {
  outbox: ReplicationOutbox;
  limiter: RateLimiter;
  root(): string;
  replication(): AbkConfig['replication'];
  report(r: WorkerReport): void;
}

/** The verified copy's name plus this while it is being sent: never taken for a finished file. */
export const PART_SUFFIX = '.abkpart';

/** Retries wait 5 s, 10 s, 20 s … up to the cap, each between half and all of that, so servers are not hit in step. */
export function backoffMs(failures: number, maxSeconds: number, random = Math.random()): number {
  const full = Math.min(maxSeconds, 5 * 2 ** Math.max(0, failures - 1)) * 1000;
  return Math.round(full * (0.5 + random / 2));
}

/** OpenSSH's `sftp` to move the bytes with, as the configuration asks; `openssh` without one is a setting IT must fix. */
export function transferClient(r: AbkConfig['replication']): { sftp?: string } {
  if (r.transfer === 'ssh2') return {};
  const sftp = findSftp(r.sftpPath);
  if (sftp) return { sftp };
  if (r.transfer === 'auto') return {};
  throw new AbkError(appError('sftp-client-missing', `replication.transfer is "openssh", but OpenSSH's sftp client was not found${r.sftpPath ? ` at ${r.sftpPath}` : ' on the PATH'}: install it (Debian: openssh-client; Windows: the OpenSSH Client feature) or set replication.sftpPath.`,
    `replication.transfer = «openssh», но клиент sftp из OpenSSH не найден${r.sftpPath ? ` по пути ${r.sftpPath}` : ' в PATH'}: установите его (Debian: openssh-client; Windows: компонент «Клиент OpenSSH») или укажите replication.sftpPath.`,
    `replication.transfer = «openssh», бірақ OpenSSH sftp клиенті табылмады${r.sftpPath ? ` (${r.sftpPath})` : ' (PATH ішінде)'}: оны орнатыңыз (Debian: openssh-client; Windows: «OpenSSH клиенті» құрамдасы) немесе replication.sftpPath көрсетіңіз.`));
}

/** A problem of one file (its copy does not verify, it is gone here, its name is unsafe): that job waits, the others go on. */
class FileProblem extends AbkError {}

/**
 * Copies the outbox's jobs to one server, one file at a time, and checks
 * again, now and then, the copies it has verified. It keeps its own
 * connection and its own retry clock, so one server that is down or slow
 * never holds the other back. A wrong host key or a setting IT must fix
 * stops it (`blocked`) until the configuration changes or IT asks again.
 */
export class ServerWorker {
  state: ServerState = 'idle';
  lastError: AppError | undefined;
  retryAtMs: number | undefined;
  current: { relDir: string; file: string; bytes: number; from: number; sent: number } | undefined;
  private link: SftpLink | undefined;
  private failures = 0;
  private wakeUp: (() => void) | undefined;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(readonly server: ServerConfig, private readonly host: WorkerHost) {
    // every chunk in flight may wait on the speed cap with this signal
    setMaxListeners(WINDOW * 2, this.abort.signal);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New jobs, or "send now": an idle, waiting or blocked worker tries at once. */
  wake(): void {
    this.retryAtMs = undefined;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('replication stopped'));
    this.wakeUp?.();
    await this.loop;
    await this.link?.close();
  }

  private setState(s: ServerState): void {
    if (s === this.state) return;
    this.state = s;
    this.host.report({ type: 'state', server: this.server.id });
  }

  private async run(): Promise<void> {
    const { outbox } = this.host;
    while (!this.abort.signal.aborted) {
      const now = Date.now();
      if (this.state === 'blocked' || (this.retryAtMs !== undefined && now < this.retryAtMs)) {
        await this.idle(this.state === 'blocked' ? undefined : this.retryAtMs! - now);
        if (this.state === 'blocked' && this.retryAtMs === undefined) this.setState('idle');
        continue;
      }
      const job = outbox.due(this.server.id, now);
      const stale = job ? [] : this.stale(now);
      if (!job && stale.length === 0) {
        this.setState('idle');
        const due = outbox.nextDueMs(this.server.id);
        await this.idle(Math.min(due === undefined ? 60_000 : Math.max(0, due - now), 60_000));
        continue;
      }
      try {
        this.link ??= await this.connect();
        if (job) await this.send(this.link, job);
        else for (const j of stale) await this.check(this.link, j);
        if (this.failures > 0 || this.lastError) { this.failures = 0; this.lastError = undefined; this.host.report({ type: 'recovered', server: this.server.id }); }
      } catch (e) {
        const sent = this.current?.sent ?? 0;
        if (this.abort.signal.aborted) { if (job) outbox.failed(job.id, 'interrupted: replication stopped', 0, sent); break; }
        this.fail(e, job, sent);
      } finally {
        this.current = undefined;
      }
    }
  }

  /** Verified copies due for a check: older than `reverifyHours`, or asked for (`abk replicate run --reverify`) even when that is 0. */
  private stale(now: number): ReplicationJob[] {
    const hours = this.host.replication().reverifyHours;
    return this.host.outbox.toReverify(this.server.id, hours === 0 ? 2 : now - hours * 3_600_000, 20);
  }

  /** Nothing to do now: the server is out of reach or refused, or nothing is due or to be checked and the worker waits. */
  settled(): boolean {
    if (this.state === 'waiting' || this.state === 'blocked') return true;
    const now = Date.now();
    return this.state === 'idle' && this.host.outbox.due(this.server.id, now) === undefined && this.stale(now).length === 0;
  }

  private fail(e: unknown, job: ReplicationJob | undefined, sent: number): void {
    const error = toAppError(e, 'replication-failed');
    const max = this.host.replication().maxRetrySeconds;
    if (e instanceof FileProblem && job) {
      // the file's fault, not the server's: this job waits, the others go on over the same connection
      this.host.outbox.failed(job.id, error.message.en, Date.now() + backoffMs(job.attempts + 1, max), sent);
      this.lastError = error;
      this.host.report({ type: 'problem', server: this.server.id, error, job });
      return;
    }
    void this.link?.close();
    this.link = undefined;
    this.lastError = error;
    if (job) this.host.outbox.failed(job.id, error.message.en, 0, sent);
    if (BLOCKING.has(error.code)) {
      this.retryAtMs = undefined;
      this.setState('blocked');
    } else {
      this.retryAtMs = Date.now() + backoffMs(++this.failures, max);
      this.setState('waiting');
    }
    this.host.report({ type: 'problem', server: this.server.id, error });
  }

  private idle(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); this.wakeUp = undefined; resolve(); };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      this.wakeUp = done;
      if (this.abort.signal.aborted) done();
    });
  }

  private async connect(): Promise<SftpLink> {
    this.setState('connecting');
    if (!this.server.remoteRoot) {
      throw new AbkError(appError('server-not-configured', `Server "${this.server.id}" has no remoteRoot configured: set it in replication.servers.`,
        `Для сервера «${this.server.id}» не задан remoteRoot: укажите его в replication.servers.`, `«${this.server.id}» серверінің remoteRoot параметрі жоқ: оны replication.servers ішінде көрсетіңіз.`));
    }
    const r = this.host.replication();
    return SftpLink.open(this.server, r, { ...transferClient(r) });
  }

  private remote(job: ReplicationJob): string {
    try {
      return remotePathOf(this.server.remoteRoot!, job.relDir, job.file);
    } catch (e) {
      throw e instanceof AbkError ? new FileProblem(e.appError) : e;
    }
  }

  /** Upload to a temporary name (resuming what a cut connection left), verify, rename into place. */
  private async send(link: SftpLink, job: ReplicationJob): Promise<void> {
    if (job.md5 === ABSENT_MD5) return this.removeStale(link, job);
    const local = join(this.host.root(), ...job.relDir.split('/'), job.file);
    if (!existsSync(local)) {
      throw new FileProblem(appError('local-file-missing', `${job.relDir}/${job.file} is no longer on this PC, so it cannot be copied to ${this.server.id}: restore it from the other server or a disc.`,
        `${job.relDir}/${job.file} больше нет на этом ПК, его нельзя скопировать на ${this.server.id}: восстановите его с другого сервера или диска.`,
        `${job.relDir}/${job.file} бұл ДК-де енді жоқ, оны ${this.server.id} серверіне көшіру мүмкін емес: басқа серверден немесе дискіден қалпына келтіріңіз.`));
    }
    const remote = this.remote(job);
    const part = remote + PART_SUFFIX;
    await link.mkdirs(posix.dirname(remote));
    let from = 0;
    const partSize = await link.size(part);
    if (partSize === undefined) {
      // already there (a restored PC, a lost database): checked, not sent again
      if ((await link.size(remote)) === job.bytes && (await link.md5(remote, job.bytes)).md5 === job.md5) {
        this.host.outbox.verified(job.id, 0);
        this.host.report({ type: 'verified', job, how: 'already-there', resumedFrom: job.bytes, sentBytes: 0 });
        return;
      }
    } else if (partSize > job.bytes) {
      await link.remove(part);
    } else {
      from = await resumePoint(link, local, part, partSize);
    }
    const current = { relDir: job.relDir, file: job.file, bytes: job.bytes, from, sent: 0 };
    this.current = current;
    this.setState('sending');
    await link.upload(local, part, from, this.host.limiter, (n) => { current.sent += n; }, this.abort.signal);
    this.setState('verifying');
    // verified under the temporary name: the final name only ever holds a copy known to be whole
    const got = await link.md5(part, job.bytes);
    if (got.md5 !== job.md5) {
      await link.remove(part);
      throw new FileProblem(appError('copy-mismatch', `The copy of ${job.file} on ${this.server.id} has MD5 ${got.md5}, not ${job.md5}: it is sent again. If this repeats, check the file here with "md5sum -c MD5SUMS".`,
        `Копия ${job.file} на ${this.server.id} имеет MD5 ${got.md5}, а не ${job.md5}: она будет отправлена снова. Если это повторяется, проверьте файл здесь командой «md5sum -c MD5SUMS».`,
        `${this.server.id} серверіндегі ${job.file} көшірмесінің MD5 мәні ${got.md5}, ${job.md5} емес: ол қайта жіберіледі. Қайталанса, файлды осында «md5sum -c MD5SUMS» арқылы тексеріңіз.`));
    }
    await link.rename(part, remote);
    await link.chmod(remote, 0o444).catch(() => undefined);
    this.host.outbox.verified(job.id, current.sent);
    this.host.report({ type: 'verified', job, how: got.how, resumedFrom: from, sentBytes: current.sent });
  }

  /** A seal file the package no longer has: taken off the server (with any partial upload of it), so the server's folder verifies as the local one. */
  private async removeStale(link: SftpLink, job: ReplicationJob): Promise<void> {
    const remote = this.remote(job);
    for (const p of [remote, remote + PART_SUFFIX]) if ((await link.size(p)) !== undefined) await link.remove(p);
    this.host.outbox.verified(job.id, 0);
    this.host.report({ type: 'verified', job, how: 'removed', resumedFrom: 0, sentBytes: 0 });
  }

  /** A verified copy checked again on the server: still there and still the same (or still gone), else sent (or removed) again. */
  private async check(link: SftpLink, job: ReplicationJob): Promise<void> {
    this.setState('checking');
    const remote = this.remote(job);
    const size = await link.size(remote);
    const reason = job.md5 === ABSENT_MD5 ? (size === undefined ? undefined : 'present')
      : size === undefined ? 'missing' : size !== job.bytes || (await link.md5(remote, job.bytes)).md5 !== job.md5 ? 'altered' : undefined;
    if (reason) {
      this.host.outbox.reopen(job.id, `the copy on the server was found ${reason}`);
      this.host.report({ type: 'reopened', job, reason });
    } else {
      this.host.outbox.verified(job.id, 0);
    }
  }
}

/**
 * Where to go on with a file whose first `partSize` bytes are on the server.
 * Up to a window of chunks may have been in flight when the connection was
 * cut, so the tail the server holds is read back and compared: sending
 * resumes at the first byte that differs (or is missing), not before.
 */
async function resumePoint(link: SftpLink, local: string, part: string, partSize: number): Promise<number> {
  const start = Math.max(0, partSize - (WINDOW + 1) * CHUNK);
  const here = Buffer.alloc(partSize - start);
  const fd = openSync(local, 'r');
  try { readSync(fd, here, 0, here.length, start); } finally { closeSync(fd); }
  let firstBad = partSize;
  await link.read(part, start, partSize - start, (pos, data) => {
    const at = pos - start;
    if (data.equals(here.subarray(at, at + data.length))) { if (data.length < Math.min(CHUNK, partSize - pos)) firstBad = Math.min(firstBad, pos + data.length); return; }
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== here[at + i]) { firstBad = Math.min(firstBad, pos + i); break; }
    }
    if (data.length < Math.min(CHUNK, partSize - pos)) firstBad = Math.min(firstBad, pos + data.length);
  });
  return firstBad;
}
