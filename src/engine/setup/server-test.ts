import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../../shared/config.js';
import { AbkError, appError, toAppError } from '../../shared/result.js';
import { fingerprint, keyLine, keyType } from '../replication/host-keys.js';
import { probeHostKey } from '../replication/host-key-probe.js';
import { RateLimiter } from '../replication/rate-limiter.js';
import { SftpLink } from '../replication/sftp-link.js';

export interface ServerAnswer { id: string; host: string; port: number; username: string; remoteRoot: string }

/** The key a server presents now (trust on first use: IT compares its fingerprint with the server's own before confirming). */
export async function probeServer(host: string, port: number): Promise<{ keyLine: string; fingerprint: string; type: string }> {
  let key: Buffer;
  try {
    key = await probeHostKey(host, port);
  } catch (e) {
    const why = (e as Error).message;
    throw new AbkError(appError('setup-server-no-answer', `The server ${host}:${port} does not answer SSH (${why}): check its address and port, and that this PC may reach it.`,
      `Сервер ${host}:${port} не отвечает по SSH (${why}): проверьте адрес и порт и доступ к нему с этого ПК.`,
      `${host}:${port} сервері SSH бойынша жауап бермейді (${why}): мекенжайы мен портын және осы ДК-ден қолжетімділігін тексеріңіз.`, why));
  }
  return { keyLine: keyLine(key), fingerprint: fingerprint(key), type: keyType(key) };
}

/**
 * Pins the key IT confirmed, then proves the server takes recordings: the key
 * must still be the one presented (a key that changed between the probe and
 * the confirmation is refused), a test file is uploaded under the server's
 * folder, its MD5 checked there, and removed.
 */
export async function testServer(server: ServerAnswer, confirmedKey: string, privateKeyPath: string): Promise<{ hostKeys: string[]; uploadedBytes: number; md5: string; how: 'remote' | 'read-back' }> {
  const now = await probeServer(server.host, server.port);
  if (now.keyLine !== confirmedKey.trim()) {
    throw new AbkError(appError('setup-host-key-changed',
      `The server ${server.host} now presents another key (${now.type} ${now.fingerprint}) than the one confirmed: nothing was sent and nothing pinned. Ask the server's administrator whether it was replaced, then check again.`,
      `Сервер ${server.host} теперь предъявляет другой ключ (${now.type} ${now.fingerprint}), чем подтверждённый: ничего не отправлено и не закреплено. Узнайте у администратора сервера, не заменён ли он, и проверьте снова.`,
      `${server.host} сервері енді расталғаннан басқа кілт көрсетуде (${now.type} ${now.fingerprint}): ештеңе жіберілмеді және бекітілмеді. Сервер әкімшісінен оның ауыстырылғанын сұраңыз да, қайта тексеріңіз.`));
  }
  const hostKeys = [now.keyLine];
  const replication = configSchema.shape.replication.parse({ servers: [{ ...server, hostKeys }], privateKeyPath });
  const scratch = mkdtempSync(join(tmpdir(), 'abk-setup-server-'));
  const data = randomBytes(256 * 1024);
  const local = join(scratch, 'abk-setup-test.bin');
  writeFileSync(local, data);
  const dir = `${server.remoteRoot.replace(/\/+$/, '')}/.abk-setup-test`;
  const remote = `${dir}/${process.pid}-${Date.now()}.bin`;
  let link: SftpLink | undefined;
  try {
    link = await SftpLink.open(replication.servers[0]!, replication, { timeoutMs: 15_000 });
    await link.mkdirs(dir);
    await link.upload(local, remote, 0, new RateLimiter(), () => undefined);
    const want = createHash('md5').update(data).digest('hex');
    const got = await link.md5(remote, data.length);
    await link.remove(remote);
    if (got.md5 !== want) {
      throw new AbkError(appError('setup-server-copy-differs', `The test file came back from ${server.host} changed (MD5 ${got.md5}, sent ${want}): the server's disk or storage is at fault; do not use it until that is fixed.`,
        `Тестовый файл вернулся с ${server.host} изменённым (MD5 ${got.md5}, отправлено ${want}): неисправен диск или хранилище сервера.`,
        `Сынақ файлы ${server.host} серверінен өзгеріп оралды (MD5 ${got.md5}, жіберілгені ${want}): сервер дискісі не қоймасы ақаулы.`));
    }
    return { hostKeys, uploadedBytes: data.length, md5: got.md5, how: got.how };
  } catch (e) {
    if (e instanceof AbkError && e.appError.code.startsWith('setup-')) throw e;
    const cause = toAppError(e, 'sftp');
    throw new AbkError(appError('setup-server-refused', `The server ${server.host} (key ${now.type} ${now.fingerprint}) refused the test upload as "${server.username}": ${cause.message.en}`,
      `Сервер ${server.host} отказал в тестовой загрузке пользователю «${server.username}»: ${cause.message.ru}`,
      `${server.host} сервері «${server.username}» пайдаланушысына сынақ жүктеуден бас тартты: ${cause.message.kk}`, cause.detail));
  } finally {
    await link?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
