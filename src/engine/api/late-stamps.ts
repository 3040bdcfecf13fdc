import type { AbkConfig } from '../../shared/config.js';
import { appError, type AppError } from '../../shared/result.js';
import { stampMissing } from '../package/revision.js';
import { configuredIdentity } from '../package/seal.js';
import type { SittingStore } from '../sittings/sitting-store.js';
import { finishedOf } from './views.js';

/** What the secretary is told of a seal left without its timestamp. */
export function unstampedNotice(base: string, why: string): AppError {
  return appError('timestamp-missing',
    `Sitting ${base} is sealed, but its seal has no timestamp yet: ${why}. The files are complete; the timestamp is added by itself when the timestamp server answers again.`,
    `Заседание ${base} опечатано, но у печати пока нет метки времени: ${why}. Файлы полные; метка будет добавлена сама, когда сервер меток времени снова ответит.`,
    `${base} отырысы мөрленді, бірақ мөрде әзірге уақыт белгісі жоқ: ${why}. Файлдар толық; уақыт белгілері сервері қайта жауап бергенде белгі өзі қосылады.`);
}

interface Sink {
  raise: (key: string, subject: string, error: AppError) => void;
  clear: (prefix: string) => void;
  /** A folder that changed: its new file goes to the servers. */
  changed: (dir: string) => void;
}

/**
 * Seals the TSA could not timestamp get their timestamp later: every
 * `seal.tsa.retryMinutes`, each finished sitting whose seal has none is
 * stamped, until the TSA fails (then the rest wait for the next round). Each
 * one left is an alarm until it is stamped.
 */
export class LateStamps {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly store: SittingStore, private readonly config: () => AbkConfig, private readonly sink: Sink) {}

  /** A seal just made without a timestamp: told now, stamped at the next round. */
  missing(id: number, base: string, why: string): void {
    this.sink.raise(`timestamp/${id}`, base, unstampedNotice(base, why));
  }

  start(): void {
    const tsa = this.config().seal.tsa;
    if (!tsa || this.timer) return;
    this.timer = setInterval(() => void this.round(), tsa.retryMinutes * 60_000);
    this.timer.unref();
    void this.round();
  }

  /** One pass over the finished sittings (one at a time; a pass under way is joined, not doubled). */
  round(): Promise<void> {
    this.running ??= this.pass().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<void> {
    if (!this.config().seal.tsa) return;
    let identity;
    try {
      identity = await configuredIdentity(this.config());
    } catch (e) {
      // without the key nothing can be timestamped either: said, and tried again next round
      const why = (e as Error).message.split('\n')[0]!;
      this.sink.raise('timestamp/key', 'seal', appError('timestamp-key-unusable',
        `Missing timestamps cannot be added: the appliance's signing key cannot be used (${why}). Check seal.keyDir and seal.openssl.`,
        `Недостающие метки времени не добавить: ключ подписи комплекса недоступен (${why}). Проверьте seal.keyDir и seal.openssl.`,
        `Жетіспейтін уақыт белгілерін қосу мүмкін емес: кешеннің қол қою кілті қолжетімсіз (${why}). seal.keyDir және seal.openssl тексеріңіз.`));
      return;
    }
    this.sink.clear('timestamp/key');
    for (const row of this.store.list()) {
      const done = finishedOf(this.config().recordingsRoot, row);
      if (!done) continue;
      try {
        if (await stampMissing(done.dir, row.base, identity)) this.sink.changed(done.dir);
        this.sink.clear(`timestamp/${row.id}`);
      } catch (e) {
        this.missing(row.id, row.base, (e as Error).message);
        return; // the TSA is down: the others wait for the next round
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
