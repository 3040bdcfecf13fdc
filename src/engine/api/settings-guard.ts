import { renameSync, writeFileSync } from 'node:fs';
import { AbkError, appError } from '../../shared/result.js';
import { parseConfig, type AbkConfig } from '../../shared/config.js';
import { passwordMatches } from './auth.js';

const UNLOCK_MS = 15 * 60_000;
const MAX_TRIES = 5;
const LOCKOUT_MS = 60_000;

/**
 * The IT staff's settings: unlocked by their password for a quarter of an
 * hour, after five wrong tries closed for a minute; a new configuration is
 * checked whole before it replaces the file, and never while recording.
 */
export class SettingsGuard {
  private until = 0;
  private wrong = 0;
  private closedUntil = 0;

  constructor(private readonly path: string | undefined, private readonly current: () => AbkConfig,
    private readonly replace: (c: AbkConfig) => void, private readonly busy: () => string | undefined) {}

  get unlocked(): boolean {
    return Date.now() < this.until;
  }

  unlock(password: string): { unlocked: true } {
    const hash = this.current().admin.passwordHash;
    if (!hash) {
      throw new AbkError(appError('settings-no-password', 'No IT password is set for the settings: run "abk password" on this PC.',
        'Пароль для настроек не задан: выполните «abk password» на этом ПК.', 'Баптаулар құпиясөзі орнатылмаған: осы ДК-де «abk password» орындаңыз.'));
    }
    if (Date.now() < this.closedUntil) {
      throw new AbkError(appError('settings-locked-out', 'Too many wrong passwords: try again in a minute.',
        'Слишком много неверных паролей: повторите через минуту.', 'Қате құпиясөз тым көп: бір минуттан кейін қайталаңыз.'));
    }
    if (!passwordMatches(password, hash)) {
      if (++this.wrong >= MAX_TRIES) { this.wrong = 0; this.closedUntil = Date.now() + LOCKOUT_MS; }
      throw new AbkError(appError('settings-wrong-password', 'Wrong password for the settings.', 'Неверный пароль настроек.', 'Баптаулар құпиясөзі қате.'));
    }
    this.wrong = 0;
    this.until = Date.now() + UNLOCK_MS;
    return { unlocked: true };
  }

  /** Refuses unless IT staff unlocked the settings with their password (the IT role). */
  mustBeUnlocked(): void {
    if (!this.unlocked) {
      throw new AbkError(appError('settings-locked', 'The settings are locked: enter the IT password first.',
        'Настройки заблокированы: сначала введите пароль ИТ-службы.', 'Баптаулар құлыпталған: алдымен IT қызметінің құпиясөзін енгізіңіз.'));
    }
  }

  get(): { config: AbkConfig; path: string } {
    this.mustBeUnlocked();
    const { admin: _admin, ...rest } = this.current();
    return { config: { ...rest, admin: {} }, path: this.path ?? '' };
  }

  save(input: unknown): { config: AbkConfig; path: string } {
    this.mustBeUnlocked();
    const busy = this.busy();
    if (busy) {
      throw new AbkError(appError('settings-busy', `The settings cannot change during ${busy}: finish it first.`,
        'Настройки нельзя менять во время записи или проверки: сначала завершите её.', 'Жазба немесе тексеру кезінде баптауларды өзгертуге болмайды: алдымен аяқтаңыз.'));
    }
    // the password is kept as it is: the screen never sees or sends it
    const parsed = parseConfig({ ...(input as object), admin: this.current().admin });
    if (!parsed.ok) {
      throw new AbkError(appError('settings-invalid', `The settings were not saved: ${parsed.error}`, `Настройки не сохранены: ${parsed.error}`, `Баптаулар сақталмады: ${parsed.error}`));
    }
    if (this.path) {
      writeFileSync(`${this.path}.tmp`, `${JSON.stringify(parsed.value, null, 2)}\n`);
      renameSync(`${this.path}.tmp`, this.path);
    }
    this.replace(parsed.value);
    return this.get();
  }
}
