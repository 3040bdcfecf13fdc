import { readFileSync, statSync } from 'node:fs';
import { AbkError, appError } from '../../shared/result.js';

/**
 * This PC's SSH private key, read only if no one but its owner can read it
 * (what OpenSSH itself demands): a key others can read is a key others may
 * have copied. On Windows the file's ACL is IT's to set; there is no mode to check.
 */
export function readPrivateKey(path: string | undefined, platform = process.platform): Buffer {
  if (!path) {
    throw new AbkError(appError('private-key-not-set', 'No private key is configured for copying to the servers: set replication.privateKeyPath.',
      'Не задан закрытый ключ для копирования на серверы: укажите replication.privateKeyPath.',
      'Серверлерге көшіру үшін жабық кілт көрсетілмеген: replication.privateKeyPath орнатыңыз.'));
  }
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new AbkError(appError('private-key-missing', `The private key ${path} does not exist: create it with "ssh-keygen -t ed25519 -N '' -f ${path}".`,
      `Закрытого ключа ${path} нет: создайте его командой «ssh-keygen -t ed25519 -N '' -f ${path}».`,
      `${path} жабық кілті жоқ: оны «ssh-keygen -t ed25519 -N '' -f ${path}» командасымен жасаңыз.`));
  }
  if (platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new AbkError(appError('private-key-unsafe', `The private key ${path} can be read by others (mode ${(mode & 0o777).toString(8)}): run "chmod 600 ${path}".`,
      `Закрытый ключ ${path} доступен другим (права ${(mode & 0o777).toString(8)}): выполните «chmod 600 ${path}».`,
      `${path} жабық кілтін басқалар оқи алады (рұқсат ${(mode & 0o777).toString(8)}): «chmod 600 ${path}» орындаңыз.`));
  }
  return readFileSync(path);
}
