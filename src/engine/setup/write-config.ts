import { closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { appError, AbkError } from '../../shared/result.js';

/**
 * Writes a new configuration file whole or not at all: into a temporary file
 * beside it, synced, then linked to its name, which fails if a configuration
 * appeared there meanwhile (a second setup, an engineer's hand). Never
 * replaces one: changing a configuration is the settings screen's work.
 */
export function writeNewConfig(path: string, text: string): void {
  if (existsSync(path)) throw configExists(path);
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw configExists(path);
    throw new AbkError(appError('setup-config-not-written', `The configuration could not be written to ${path} (${(e as NodeJS.ErrnoException).code}); check that ${dirname(path)} can be written.`,
      `Конфигурацию не удалось записать в ${path} (${(e as NodeJS.ErrnoException).code}); проверьте право записи в ${dirname(path)}.`,
      `Баптауды ${path} ішіне жазу мүмкін болмады (${(e as NodeJS.ErrnoException).code}); ${dirname(path)} қалтасына жазу құқығын тексеріңіз.`));
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The refusal to replace a configuration, said before any question is asked too. */
export const configExists = (path: string): AbkError => new AbkError(appError('setup-config-exists',
  `A configuration already exists at ${path}: nothing was written. Change it in the settings, or move it away to set up again.`,
  `Конфигурация уже есть (${path}): ничего не записано. Измените её в настройках или уберите файл, чтобы настроить заново.`,
  `Баптау бұрыннан бар (${path}): ештеңе жазылмады. Оны баптауларда өзгертіңіз немесе қайта баптау үшін файлды алып тастаңыз.`));
