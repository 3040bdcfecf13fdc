import type { AuditHead, Manifest } from '../../shared/package-format.js';
import { appError, toAppError } from '../../shared/result.js';
import type { Db } from '../db/database.js';
import { checkApplianceLog, writeAnchor } from '../package/audit-check.js';
import type { AlarmBoard } from './alarm-board.js';

/** How often the audit log's head is written down beside the database. */
const ANCHOR_EVERY_MS = 10_000;

/**
 * The engine's watch over its audit log: checked at start (its chain, and
 * the heads the sealed manifests and the anchor carry), and the anchor kept
 * a few seconds behind the log's head (never ahead) while it runs. A log
 * that does not hold is an alarm that stays, and its anchor is not moved on
 * over it; the recording goes on.
 */
export class AuditWatch {
  private timer: NodeJS.Timeout | undefined;
  private head: AuditHead | null = null;
  /** The log did not hold at start: the anchor stays where it was, so every later check finds the same. */
  private broken = false;

  constructor(private readonly db: Db, private readonly root: () => string, private readonly alarms: AlarmBoard) {}

  start(manifests: { where: string; manifest: Manifest }[]): void {
    const root = this.root();
    const r = checkApplianceLog(this.db, root, manifests);
    process.stderr.write(r.check.ok ? `audit log: ${r.check.events} events hold, checked against ${r.heads} head(s)\n` : `audit log: DOES NOT HOLD: ${r.check.reason}\n`);
    if (!r.check.ok) {
      this.broken = true;
      const { event, reason } = r.check;
      this.alarms.raise('audit-log', 'audit', root, appError('audit-log-broken',
        `The appliance's audit log has been changed or cut back (event ${event}: ${reason}). Recording works as before; call IT to examine the log ("abk verify ${root}").`,
        `Журнал аудита комплекса изменён или укорочен (событие ${event}: ${reason}). Запись работает как прежде; вызовите ИТ-службу для проверки журнала («abk verify ${root}»).`,
        `Кешеннің аудит журналы өзгертілген немесе қысқартылған (${event} оқиға: ${reason}). Жазу бұрынғыдай жұмыс істейді; журналды тексеру үшін IT қызметін шақырыңыз («abk verify ${root}»).`));
    }
    this.timer = setInterval(() => this.moveAnchor(), ANCHOR_EVERY_MS);
  }

  /** The last head written down, before the database closes. */
  stop(): void {
    clearInterval(this.timer);
    this.moveAnchor();
  }

  private moveAnchor(): void {
    if (this.broken) return;
    try {
      this.head = writeAnchor(this.root(), this.db, this.head);
      this.alarms.clear('audit-anchor');
    } catch (e) {
      this.alarms.raise('audit-anchor', 'audit', this.root(), toAppError(e, 'audit-anchor-failed'));
    }
  }
}
