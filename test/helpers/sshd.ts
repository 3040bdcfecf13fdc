import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { sshGreeting } from '../../src/engine/api/precheck.js';
import { killTree } from './kill-tree.js';

const SSHD = '/usr/sbin/sshd';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

/** A key pair made with ssh-keygen: this PC's key (mode 600) or a server's host key. */
export function makeKey(path: string): { privateKeyPath: string; publicLine: string } {
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'abk-test', '-f', path], { stdio: 'ignore' });
  const [type, b64] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
  return { privateKeyPath: path, publicLine: `${type} ${b64}` };
}

/**
 * A real OpenSSH server on a loopback port playing a regional server: its own
 * host key and authorized_keys, files under `root`. `kill()` cuts it as a
 * crash or a cable would (the listener and every session, SIGKILL).
 */
export class TestSshd {
  private proc: ChildProcess | undefined;
  hostKey!: string;
  readonly root: string;

  private constructor(readonly dir: string, readonly port: number, private readonly authorizedKey: string, private readonly sftpOnly: boolean, private readonly maxStartups = '50') {
    this.root = join(dir, 'archive');
    mkdirSync(this.root, { recursive: true });
    this.newHostKey();
  }

  /** `sftpOnly`: the server runs no commands (ForceCommand internal-sftp), as many archives are set up. */
  static async create(dir: string, authorizedKey: string, opts: { start?: boolean; port?: number; sftpOnly?: boolean; maxStartups?: string } = {}): Promise<TestSshd> {
    mkdirSync(dir, { recursive: true });
    const s = new TestSshd(dir, opts.port ?? await freePort(), authorizedKey, opts.sftpOnly ?? false, opts.maxStartups);
    if (opts.start !== false) await s.start();
    return s;
  }

  /** The listening daemon's process (its sessions are its children), while it runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** A new host key (the server "replaced"): takes effect at the next start. */
  newHostKey(): void {
    const path = join(this.dir, `host_ed25519_${Date.now()}`);
    this.hostKey = makeKey(path).publicLine;
    writeFileSync(join(this.dir, 'authorized_keys'), `${this.authorizedKey}\n`, { mode: 0o600 });
    writeFileSync(join(this.dir, 'sshd_config'), [
      `Port ${this.port}`, 'ListenAddress 127.0.0.1', `HostKey ${path}`, `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`, 'StrictModes no', 'UsePAM no', 'PasswordAuthentication no',
      'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'PermitRootLogin prohibit-password',
      ...(this.sftpOnly ? ['Subsystem sftp internal-sftp', 'ForceCommand internal-sftp'] : ['Subsystem sftp /usr/lib/openssh/sftp-server']),
      'LogLevel ERROR', `MaxStartups ${this.maxStartups}`, '',
    ].join('\n'));
  }

  async start(): Promise<void> {
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true });
    this.proc = spawn(SSHD, ['-D', '-e', '-f', join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    this.proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
    for (let i = 0; i < 100; i++) {
      if ((await sshGreeting('127.0.0.1', this.port, 500)).reachable) return;
      if (this.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sshd did not start on port ${this.port}: ${err}`);
  }

  /** The server dies with everything it was doing (SIGKILL to the listener and its sessions). */
  kill(): void {
    if (this.proc?.pid) killTree(this.proc.pid);
    this.proc = undefined;
  }

  get running(): boolean {
    return this.proc !== undefined;
  }

  /** The server-side path of a file below the root. */
  path(rel: string): string {
    return join(this.root, rel);
  }

  /** The server entry for the configuration, with this server's key pinned unless told otherwise. */
  entry(id: string, hostKeys: string[] = [this.hostKey]): { id: string; host: string; port: number; username: string; remoteRoot: string; hostKeys: string[] } {
    return { id, host: '127.0.0.1', port: this.port, username: userInfo().username, remoteRoot: this.root, hostKeys };
  }
}

export const haveSshd = (): boolean => existsSync(SSHD);
