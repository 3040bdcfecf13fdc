import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { keyType } from './host-keys.js';

/**
 * Uploads with OpenSSH's own `sftp` client (Debian's openssh-client; on
 * Windows 10 and later, C:\Windows\System32\OpenSSH\sftp.exe). ssh2's
 * JavaScript packet handling made our own uploads CPU-bound at 0.7× of
 * `sftp`; OpenSSH's client does the same work in C, in a process of its own.
 * Everything else (the host-key check, resume points, verification, rename)
 * stays on the ssh2 connection: this only moves bytes.
 *
 * Trust is not widened: the host key is the one the ssh2 connection has
 * just checked against the pins, written alone into a known_hosts file of
 * this transfer (StrictHostKeyChecking=yes, only that key's algorithms), the
 * user's ssh configuration is not read (-F with an empty file), and login is
 * by the configured key alone, never a password or an agent (BatchMode).
 */

/** Requests of 255 KiB (`sftp`'s default is 32 KiB; 256 KiB with its header is over the server's message limit), 64 in flight: fewer, larger requests for the same cipher. */
export const OPENSSH_BUFFER = 261_120;
export const OPENSSH_REQUESTS = 64;

export interface OpensshTarget {
  host: string;
  port: number;
  username: string;
  privateKeyPath: string;
  /** The host key the ssh2 connection verified against the pins, as its SSH blob. */
  hostKey: Buffer;
  /** Ciphers in order of preference (default: PREFERRED_CIPHERS). */
  ciphers?: readonly string[];
}

/**
 * AES-GCM first: with the AES instructions every court PC's processor has, it
 * is the fastest (on this kind of machine OpenSSH moves 327 MB/s with
 * aes128-gcm, 200 MB/s with its default chacha20-poly1305); the others stay
 * for a server that lacks it.
 */
export const PREFERRED_CIPHERS = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes256-ctr'] as const;

export interface OpensshUpload {
  /** Resolves when the file is on the server whole; rejects with the client's own words. */
  done: Promise<void>;
  /** Stop now (the cap changed, the worker stops): `done` then rejects with `StoppedTransfer`. */
  stop(): void;
}

/** A transfer stopped on purpose: what reached the server is a prefix of the file, resumed from. */
export class StoppedTransfer extends Error {
  constructor() { super('the transfer was stopped to be resumed'); }
}

/** `sftp` from the configuration, else the PATH (and Windows' own OpenSSH); undefined when there is none. */
export function findSftp(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured) return configured;
  const names = process.platform === 'win32' ? ['sftp.exe'] : ['sftp'];
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean);
  if (process.platform === 'win32') dirs.push(join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'OpenSSH'));
  for (const d of dirs) for (const n of names) if (existsSync(join(d, n))) return join(d, n);
  return undefined;
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The client ends with the process that started it: on Linux, util-linux's
 * setpriv asks the kernel to send it SIGTERM when its parent dies (a killed or
 * crashed engine). Without that (Windows), an orphaned client goes on writing
 * the same bytes at the same offsets as the next engine's transfer of the
 * file, which the MD5 check holds to the original either way; only a cap set
 * after the crash would not reach it until it ends.
 */
function tiedToUs(cmd: string, args: string[]): [string, string[]] {
  return process.platform === 'linux' && existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'TERM', '--', cmd, ...args]] : [cmd, args];
}

/** The algorithms OpenSSH may negotiate for a pinned key of this type (an RSA key signs with SHA-2). */
export function hostKeyAlgorithms(type: string): string {
  return type === 'ssh-rsa' ? 'rsa-sha2-512,rsa-sha2-256,ssh-rsa' : type;
}

/** A path in an sftp batch command: quoted, with its quote, backslash and glob characters escaped (a file name is never a pattern). */
export function batchPath(p: string): string {
  return `"${p.replace(/[\\"*?[\]]/g, (c) => `\\${c}`)}"`;
}

/** The sftp command line for one upload, and the known_hosts line it trusts (tested on its own). */
export function sftpArgs(t: OpensshTarget, files: { knownHosts: string; config: string }, capKiBps: number | undefined): string[] {
  return [
    '-q', '-b', '-', '-F', files.config,
    '-B', String(OPENSSH_BUFFER), '-R', String(OPENSSH_REQUESTS),
    '-P', String(t.port), '-i', t.privateKeyPath, '-c', (t.ciphers ?? PREFERRED_CIPHERS).join(','),
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'PasswordAuthentication=no',
    // quoted: OpenSSH splits an option's value at white space (a Windows user's temp folder may have a space)
    '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile="${files.knownHosts}"`, '-o', `GlobalKnownHostsFile="${files.knownHosts}"`,
    '-o', `HostKeyAlgorithms=${hostKeyAlgorithms(keyType(t.hostKey))}`, '-o', 'UpdateHostKeys=no',
    '-o', 'ConnectTimeout=15', '-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3',
    // -l is in Kbit/s
    ...(capKiBps !== undefined ? ['-l', String(Math.max(1, Math.floor(capKiBps * 8.192)))] : []),
    `${t.username}@${t.host}`,
  ];
}

export function knownHostsLine(t: OpensshTarget): string {
  const name = t.port === 22 ? t.host : `[${t.host}]:${t.port}`;
  return `${name} ${keyType(t.hostKey)} ${t.hostKey.toString('base64')}\n`;
}

let clientsStarted = 0;
/** How many OpenSSH clients (SSH connections) this process has started: bench:region's count. */
export const opensshClientsStarted = (): number => clientsStarted;

/**
 * One OpenSSH `sftp` client kept open for a server connection, fed one
 * command at a time: `put` from the start, or `reput` to go on after the
 * bytes already there (the caller has cut the remote file to the point it
 * checked), each followed by a marker it echoes when the command is done. So
 * a sitting's twenty files cost one SSH connection, not twenty (each a key
 * exchange and a login on the regional server). A failed command ends the
 * client (batch mode), with its reason; the next upload starts a new one, as
 * does a new speed cap (`-l` is fixed for a client's life).
 */
export class OpensshSession {
  private child: ChildProcessWithoutNullStreams | undefined;
  private dir: string | undefined;
  private cap: number | undefined;
  private pending: { marker: string; resolve: () => void; reject: (e: Error) => void } | undefined;
  private stopping = false;
  private count = 0;
  private stderr = '';
  private line = '';

  constructor(private readonly sftp: string, private readonly target: OpensshTarget) {}

  upload(local: string, remote: string, resume: boolean, capKiBps: number | undefined): OpensshUpload {
    if (this.pending) throw new Error('an upload is already under way on this OpenSSH client');
    if (this.child && this.cap !== capKiBps) this.end();
    const child = this.child ?? this.start(capKiBps);
    const marker = `__abk_done_${++this.count}`;
    const done = new Promise<void>((resolve, reject) => { this.pending = { marker, resolve, reject }; });
    child.stdin.write(`${resume ? 'reput' : 'put'} ${batchPath(local)} ${batchPath(remote)}\n!echo ${marker}\n`);
    return {
      done,
      stop: () => { if (this.child === child) { this.stopping = true; child.kill('SIGTERM'); } },
    };
  }

  /** Let the client go (its connection closes); nothing may be under way. */
  end(): void {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.stdin.end();
  }

  private start(capKiBps: number | undefined): ChildProcessWithoutNullStreams {
    const dir = mkdtempSync(join(tmpdir(), 'abk-sftp-'));
    const files = { knownHosts: join(dir, 'known_hosts'), config: join(dir, 'config') };
    writeFileSync(files.knownHosts, knownHostsLine(this.target), { mode: 0o600 });
    writeFileSync(files.config, '', { mode: 0o600 });
    const [cmd, args] = tiedToUs(this.sftp, sftpArgs(this.target, files, capKiBps));
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    clientsStarted++;
    this.child = child;
    this.dir = dir;
    this.cap = capKiBps;
    this.stopping = false;
    this.stderr = '';
    this.line = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      const lines = (this.line + d).split('\n');
      this.line = lines.pop()!;
      // the marker alone on its line is the echo's output (the command's own echo starts with "sftp> ")
      for (const l of lines) if (this.pending && l.trim() === this.pending.marker) this.settle();
    });
    child.stderr.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString('utf8')).slice(-4000); });
    child.stdin.on('error', () => undefined); // a client that exits closes its stdin: its exit code tells why
    child.on('error', (e) => this.ended(child, new Error(`OpenSSH sftp (${this.sftp}) could not be started: ${e.message}`)));
    child.on('close', (code, signal) => this.ended(child, this.stopping ? new StoppedTransfer()
      : new Error(`OpenSSH sftp ended with ${signal ?? `code ${code}`}: ${this.stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`)));
    return child;
  }

  private settle(error?: Error): void {
    const p = this.pending;
    this.pending = undefined;
    if (error) p?.reject(error);
    else p?.resolve();
  }

  private ended(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.child === child) this.child = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    // a client ended while a command was under way: that command failed (or was stopped)
    this.settle(error);
  }
}
