import type { HealthStatus, ReplicationStatus } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { appError, type AppError } from '../../shared/result.js';
import type { SittingRecorder } from '../recorder/sitting-recorder.js';
import { bytesPerHour, diskStatus } from './precheck.js';

interface Sink { raise(key: string, subject: string, error: AppError): void; clear(prefix: string): void }
const CHECK_EVERY_MS = 60_000;

const backlogAlarm = (server: string, hours: number, limit: number): AppError => appError('replication-backlog',
  `${hours} h of recordings are not yet verified on server ${server} (more than ${limit} h). Check the network and the server; the recordings are safe on this PC.`,
  `На сервере ${server} ещё не проверены ${hours} ч записей (больше ${limit} ч). Проверьте сеть и сервер; записи сохранены на этом компьютере.`,
  `${server} серверінде ${hours} сағ жазба әлі тексерілмеген (${limit} сағ артық). Желіні және серверді тексеріңіз; жазбалар осы компьютерде сақтаулы.`);

/**
 * The appliance's health beyond one recording, for the console: hours of
 * recording the disk still holds, the regional servers and the hours of
 * recordings not yet verified on each (a backlog past `health.backlogHours`
 * is an alarm, checked every minute), and the guards' open findings.
 */
export class HealthWatch {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly config: () => AbkConfig, private readonly replication: () => ReplicationStatus,
    private readonly recorder: () => SittingRecorder | undefined, private readonly sink: Sink) {}

  start(): void {
    this.timer = setInterval(() => this.checkBacklog(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  status(): HealthStatus {
    const perHour = bytesPerHour(this.config()) / 2; // what is copied: the finished files, not the segments as well
    const servers = this.replication().servers.map((s) => ({ id: s.id, state: s.state, backlogHours: Math.round((s.pendingBytes / perHour) * 10) / 10 }));
    const rec = this.recorder();
    const now = rec?.healthNow();
    return {
      recording: rec !== undefined, disk: diskStatus(this.config()), servers,
      backlogHours: Math.max(0, ...servers.map((s) => s.backlogHours)),
      ...(now?.captureCpuPercent !== undefined ? { captureCpuPercent: now.captureCpuPercent } : {}),
      findings: (now?.findings ?? []).map((f) => ({ source: f.source, subject: f.subject, code: f.code })),
    };
  }

  checkBacklog(): void {
    const limit = this.config().health.backlogHours;
    for (const s of this.status().servers) {
      if (s.backlogHours > limit) this.sink.raise(`backlog/${s.id}`, s.id, backlogAlarm(s.id, s.backlogHours, limit));
      else this.sink.clear(`backlog/${s.id}`);
    }
  }
}
