import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { childEntry } from '../capture/child-entry.js';
import { RestartPolicy } from '../shared/restart-policy.js';
import type { FromSupervisor, ToSupervisor } from '../shared/supervisor-messages.js';

export interface SupervisorOptions {
  /** Arguments of `abk engine` (config, port). */
  args: string[];
  /** Environment of the engine: the token, the capture HOME. */
  env: Record<string, string>;
}

interface SupervisorEvents {
  ready: [{ url: string; pid: number; restarts: number }];
  exit: [{ code: number | null; signal: NodeJS.Signals | null; restartInMs: number | undefined }];
}

/**
 * Runs the engine (`abk engine`) as a child and starts it again whenever it
 * dies, at once the first time: a sitting that was recording goes on in a new
 * take, so an engine crash costs the restart, not the hearing. `abk serve` is
 * this supervisor; the desktop app's main process is the same thing with
 * Electron's utility process.
 */
export class EngineSupervisor extends EventEmitter<SupervisorEvents> {
  private child: ChildProcess | undefined;
  private readonly policy = new RestartPolicy();
  private restarts = 0;
  private stopping: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SupervisorOptions) {
    super();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(restarted = false): void {
    const { script, execArgv } = childEntry(import.meta.url, './main');
    const startedMs = Date.now();
    const child = fork(script, ['engine', ...this.opts.args], {
      execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...this.opts.env, ABK_ENGINE_RESTARTED: restarted ? '1' : '' },
    });
    this.child = child;
    child.on('message', (m: ToSupervisor) => {
      if (m.type === 'ready') this.emit('ready', { url: m.url, pid: m.pid, restarts: this.restarts });
    });
    child.on('error', (e) => process.stderr.write(`abk serve: the engine could not be started: ${e.message}\n`));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.stopping) { this.emit('exit', { code, signal, restartInMs: undefined }); return; }
      const wait = this.policy.delayAfter(startedMs, Date.now());
      this.emit('exit', { code, signal, restartInMs: wait });
      this.restarts += 1;
      this.timer = setTimeout(() => this.start(true), wait);
    });
  }

  /** Ask the engine to finish any recording's files and exit; kill it if it has not within `graceMs`. */
  stop(graceMs = 120_000): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.timer);
      const child = this.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (child.connected) child.send({ type: 'shutdown' } satisfies FromSupervisor);
      else child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    })();
    return this.stopping;
  }
}
