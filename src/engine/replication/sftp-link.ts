import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, read, statSync } from 'node:fs';
import SftpClient from 'ssh2-sftp-client';
import type { Client, SFTPWrapper } from 'ssh2';
import type { AbkConfig } from '../../shared/config.js';
import { AbkError, appError } from '../../shared/result.js';
import { describeKey, keyLine, keyMatches, parsePinned } from './host-keys.js';
import { OpensshSession, StoppedTransfer, type OpensshTarget } from './openssh-transfer.js';
import { pipelined } from './pipelined.js';
import { readPrivateKey } from './private-key.js';
import type { RateLimiter } from './rate-limiter.js';
import { shellQuote } from './remote-path.js';

export type ServerConfig = AbkConfig['replication']['servers'][number];

/** 32 requests of 255 KiB in flight: measured on this kind of machine as faster than OpenSSH's own sftp. */
export const CHUNK = 255 * 1024;
export const WINDOW = 32;

/** Errors after which retrying cannot help until IT changes something: the server's jobs stop. */
export const BLOCKING = new Set(['sftp-client-missing', 'host-key-unknown', 'host-key-changed', 'host-key-config', 'private-key-not-set', 'private-key-missing', 'private-key-unsafe', 'server-not-configured']);

interface Options {
  timeoutMs?: number;
  ciphers?: string[];
  /** Move the bytes with this OpenSSH `sftp` (openssh-transfer.ts); without it, with ssh2's own pipelined writes. */
  sftp?: string;
}

function configError(s: ServerConfig, what: string): AbkError {
  return new AbkError(appError('server-not-configured', `Server "${s.id}" has no ${what} configured: set it in replication.servers.`,
    `Для сервера «${s.id}» не задан параметр ${what}: укажите его в replication.servers.`, `«${s.id}» серверінің ${what} параметрі жоқ: оны replication.servers ішінде көрсетіңіз.`));
}

/**
 * One SSH connection to a regional server with its SFTP channel: the host key
 * checked against the pinned ones before anything is sent, key-based login,
 * and the few operations replication needs. The transfers themselves are
 * pipelined writes and reads at explicit offsets, so an upload can start
 * anywhere in a file (resume) at full speed.
 */
export class SftpLink {
  private lost: Error | undefined;
  private readonly waiting = new Set<(e: Error) => void>();

  private constructor(private readonly client: SftpClient, private readonly sftp: SFTPWrapper, private readonly ssh: Client,
    /** Set when uploads go through OpenSSH's client: its session (the client, and the host key this connection verified). */
    private readonly openssh?: OpensshSession) {
    // a server that dies leaves SFTP requests unanswered: they fail with the connection instead of waiting forever
    const gone = (): void => {
      this.lost ??= new Error('the connection to the server was lost');
      for (const fail of this.waiting) fail(this.lost);
      this.waiting.clear();
    };
    ssh.on('close', gone);
    ssh.on('end', gone);
  }

  static async open(server: ServerConfig, replication: AbkConfig['replication'], opts: Options = {}): Promise<SftpLink> {
    if (!server.username) throw configError(server, 'username');
    const pins = parsePinned(server.hostKeys);
    if (!pins.ok) {
      throw new AbkError(appError('host-key-config', `Server "${server.id}": ${pins.error}.`, `Сервер «${server.id}»: ключ узла записан неверно (${pins.error}).`, `«${server.id}» сервері: хост кілті қате жазылған (${pins.error}).`));
    }
    const privateKey = readPrivateKey(replication.privateKeyPath);
    let presented: Buffer | undefined;
    const client = new SftpClient(`abk-${server.id}`);
    try {
      const sftp = await client.connect({
        host: server.host, port: server.port, username: server.username, privateKey,
        readyTimeout: opts.timeoutMs ?? 15_000, keepaliveInterval: 5_000, keepaliveCountMax: 3,
        ...(opts.ciphers ? { algorithms: { cipher: opts.ciphers as never } } : {}),
        hostVerifier: (key: Buffer) => { presented = key; return pins.value.length > 0 && keyMatches(pins.value, key); },
      });
      const ssh = (client as unknown as { client: Client & { _sock?: { setNoDelay?: (b: boolean) => void } } }).client;
      // without it small SFTP packets wait for delayed ACKs: 2 MB/s instead of hundreds (measured)
      ssh._sock?.setNoDelay?.(true);
      if (!opts.sftp || !presented || !replication.privateKeyPath) return new SftpLink(client, sftp, ssh);
      const target: OpensshTarget = { host: server.host, port: server.port, username: server.username, privateKeyPath: replication.privateKeyPath, hostKey: presented, ...(opts.ciphers ? { ciphers: opts.ciphers } : {}) };
      return new SftpLink(client, sftp, ssh, new OpensshSession(opts.sftp, target));
    } catch (e) {
      await client.end().catch(() => undefined);
      if (presented && !(pins.value.length > 0 && keyMatches(pins.value, presented))) throw hostKeyError(server, presented, pins.value.length > 0);
      throw e;
    }
  }

  async size(path: string): Promise<number | undefined> {
    try {
      return (await this.client.stat(path)).size;
    } catch (e) {
      if ((e as { code?: number | string }).code === 2 || /No such file/i.test(String(e))) return undefined;
      throw e;
    }
  }

  async mkdirs(dir: string): Promise<void> {
    if ((await this.size(dir)) === undefined) await this.client.mkdir(dir, true);
  }

  /** Atomic replace (OpenSSH's posix-rename), so the final name only ever holds a whole, verified file. */
  async rename(from: string, to: string): Promise<void> {
    await this.client.posixRename(from, to);
  }

  async remove(path: string): Promise<void> {
    await this.client.delete(path, true);
  }

  async chmod(path: string, mode: number): Promise<void> {
    await this.client.chmod(path, mode);
  }

  /** Cut a remote file to `size` bytes (SFTP setstat): what is past a checked resume point goes before `reput` appends. */
  async truncate(path: string, size: number): Promise<void> {
    await this.call<void>((cb) => this.sftp.setstat(path, { size } as never, cb));
  }

  /** Which client moves the bytes: OpenSSH's `sftp`, or ssh2 in this process. */
  get transfer(): 'openssh' | 'ssh2' {
    return this.openssh ? 'openssh' : 'ssh2';
  }

  /**
   * Writes `local` from byte `from` to its end into `remote` (created, or
   * written into at that offset), `WINDOW` chunks in flight; `onSent` counts
   * each chunk the server has acknowledged.
   */
  async upload(local: string, remote: string, from: number, limiter: RateLimiter, onSent: (n: number) => void, signal?: AbortSignal): Promise<void> {
    if (this.openssh) return this.uploadOpenssh(this.openssh, local, remote, from, limiter, onSent, signal);
    const fd = openSync(local, 'r');
    try {
      const size = fstatSync(fd).size;
      const handle = await this.call<Buffer>((cb) => this.sftp.open(remote, from > 0 ? 'r+' : 'w', 0o600, cb));
      try {
        const count = Math.ceil((size - from) / CHUNK);
        // one buffer per lane, reused once the server has acknowledged its write
        const buffers = Array.from({ length: Math.min(WINDOW, count) }, () => Buffer.allocUnsafeSlow(CHUNK));
        await pipelined(count, WINDOW, async (i, lane) => {
          const pos = from + i * CHUNK;
          const buf = buffers[lane]!.subarray(0, Math.min(CHUNK, size - pos));
          await readChunk(fd, buf, pos);
          await this.call<void>((cb) => this.sftp.write(handle, buf, 0, buf.length, pos, cb));
          onSent(buf.length);
        }, limiter.capped || signal ? async (i) => { signal?.throwIfAborted(); if (limiter.capped) await limiter.take(Math.min(CHUNK, size - from - i * CHUNK), signal); } : undefined);
      } finally {
        await this.call<void>((cb) => this.sftp.close(handle, cb)).catch(() => undefined);
      }
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The same with OpenSSH's `sftp`, at this transfer's share of the cap. A
   * change of the cap (a recording starts or ends) stops the client and goes
   * on from what reached the server at the new speed: the client writes in
   * order, so that is a prefix of the file (and the MD5 after the upload
   * holds it to the original anyway). Progress is the remote size, read every second.
   */
  private async uploadOpenssh(o: OpensshSession, local: string, remote: string, from: number, limiter: RateLimiter, onSent: (n: number) => void, signal?: AbortSignal): Promise<void> {
    const size = statSync(local).size;
    let at = from;
    let reported = from;
    const progress = (n: number | undefined): void => { if (n !== undefined && n > reported) { onSent(Math.min(n, size) - reported); reported = Math.min(n, size); } };
    for (;;) {
      const cap = await limiter.perTransfer(signal);
      const there = await this.size(remote);
      if (there !== undefined && there > at) await this.truncate(remote, at);
      const t = o.upload(local, remote, at > 0 && there !== undefined, cap);
      const stop = (): void => t.stop();
      const unsubscribe = limiter.onChange(stop);
      signal?.addEventListener('abort', stop, { once: true });
      const poll = setInterval(() => void this.size(remote).then(progress, () => undefined), 1000);
      try {
        await t.done;
        progress(size);
        return;
      } catch (e) {
        if (!(e instanceof StoppedTransfer)) throw e;
        signal?.throwIfAborted();
        at = (await this.size(remote)) ?? 0;
        progress(at);
      } finally {
        clearInterval(poll);
        unsubscribe();
        signal?.removeEventListener('abort', stop);
      }
    }
  }

  /** Bytes `start`…`start+length` of a remote file, read with the same pipelining. */
  async read(remote: string, start: number, length: number, onChunk: (pos: number, data: Buffer) => void): Promise<void> {
    const handle = await this.call<Buffer>((cb) => this.sftp.open(remote, 'r', cb));
    try {
      await pipelined(Math.ceil(length / CHUNK), WINDOW, async (i) => {
        const pos = start + i * CHUNK;
        const want = Math.min(CHUNK, start + length - pos);
        const buf = Buffer.alloc(want);
        let got = 0;
        while (got < want) {
          const n = await this.call<number>((cb) => this.sftp.read(handle, buf, got, want - got, pos + got, (e, bytes) => cb(e ?? undefined, bytes)));
          if (n === 0) break;
          got += n;
        }
        onChunk(pos, buf.subarray(0, got));
      });
    } finally {
      await this.call<void>((cb) => this.sftp.close(handle, cb)).catch(() => undefined);
    }
  }

  /**
   * The MD5 of a remote file: `md5sum` on the server when it lets us run it
   * (the file is not read over the network), else read back and hashed here.
   */
  async md5(remote: string, size: number): Promise<{ md5: string; how: 'remote' | 'read-back' }> {
    const out = await this.exec(`md5sum -- ${shellQuote(remote)}`).catch(() => undefined);
    const m = out && out.code === 0 ? /^([0-9a-f]{32})\s/.exec(out.stdout) : null;
    if (m) return { md5: m[1]!, how: 'remote' };
    const chunks = new Map<number, Buffer>();
    const hash = createHash('md5');
    let at = 0;
    // chunks come back in any order: hash them in file order
    await this.read(remote, 0, size, (pos, data) => {
      chunks.set(pos, data);
      for (let c = chunks.get(at); c; c = chunks.get(at)) { chunks.delete(at); hash.update(c); at += c.length; }
    });
    return { md5: hash.digest('hex'), how: 'read-back' };
  }

  private exec(command: string): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve, reject) => {
      this.ssh.exec(command, (e, stream) => {
        if (e) { reject(e); return; }
        let stdout = '';
        stream.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
        stream.stderr.resume();
        stream.on('close', (code: number | null) => resolve({ code: code ?? -1, stdout }));
      });
    });
  }

  private call<T>(f: (cb: (e: Error | undefined | null, v: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.lost) { reject(this.lost); return; }
      this.waiting.add(reject);
      f((e, v) => { this.waiting.delete(reject); if (e) reject(e); else resolve(v); });
    });
  }

  async close(): Promise<void> {
    this.openssh?.end();
    await this.client.end().catch(() => undefined);
  }
}

function readChunk(fd: number, buf: Buffer, pos: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const more = (got: number): void => read(fd, buf, got, buf.length - got, pos + got, (e, n) => {
      if (e) reject(e);
      else if (n === 0) reject(new Error(`the local file ended at ${pos + got} bytes while being sent: it changed on disk`));
      else if (got + n < buf.length) more(got + n);
      else resolve();
    });
    more(0);
  });
}

function hostKeyError(server: ServerConfig, key: Buffer, pinned: boolean): AbkError {
  const shown = describeKey(key);
  const where = `${server.id} (${server.host}:${server.port})`;
  return pinned
    ? new AbkError(appError('host-key-changed', `Server ${where} presented a different host key (${shown}) than the one pinned: nothing is sent to it. If IT changed the server, pin the new key (abk replicate trust ${server.id}); otherwise someone may be intercepting the connection.`,
      `Сервер ${where} предъявил другой ключ узла (${shown}), не тот, что закреплён: на него ничего не отправляется. Если сервер меняла ИТ-служба, закрепите новый ключ (abk replicate trust ${server.id}); иначе соединение, возможно, перехватывают.`,
      `${where} сервері бекітілген кілттен басқа хост кілтін (${shown}) көрсетті: оған ештеңе жіберілмейді. Серверді IT қызметі ауыстырса, жаңа кілтті бекітіңіз (abk replicate trust ${server.id}); әйтпесе байланысты біреу ұстап тұруы мүмкін.`, keyLine(key)))
    : new AbkError(appError('host-key-unknown', `Server ${where} has no pinned host key, so nothing is sent to it. It presents ${shown}: if IT confirms it, pin it with "abk replicate trust ${server.id}".`,
      `Для сервера ${where} не закреплён ключ узла, поэтому на него ничего не отправляется. Он предъявляет ${shown}: если ИТ-служба подтвердит, закрепите его командой «abk replicate trust ${server.id}».`,
      `${where} серверінің хост кілті бекітілмеген, сондықтан оған ештеңе жіберілмейді. Ол ${shown} көрсетеді: IT қызметі растаса, «abk replicate trust ${server.id}» арқылы бекітіңіз.`, keyLine(key)));
}
