import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { childEntry } from '../child-entry.js';
import { LogFile } from '../log-file.js';
import { PidFile } from '../pid-file.js';
import type { AudioDeviceInfo, CaptureStart, CaptureToEngine, EngineToCapture } from './protocol.js';

export interface AudioCaptureOptions {
  /** Working directory of the child (naudiodon may leave a crash.log there). */
  cwd: string;
  /** File that receives the child's diagnostic output (ALSA and PortAudio messages). */
  logFile: string;
  /** Extra environment, e.g. HOME holding the virtual courtroom's `.asoundrc`. */
  env?: Record<string, string>;
  /** Where its pid is kept while it runs (for a later engine, should this one die). */
  pidFile?: string;
  /** The diagnostic log could not be written (a full disk): capture itself goes on. From the first line on, before the process is ready. */
  onLogError?: (e: NodeJS.ErrnoException, path: string) => void;
}

interface AudioCaptureEvents {
  message: [CaptureToEngine];
  xrun: ['overflow' | 'underflow'];
  exit: [number | null, NodeJS.Signals | null];
}

/**
 * naudiodon (PaContext.cc) prints PortAudio's status flags with printf, e.g.
 * "AudioIO: portAudio status - input overflow ", when closeOnError is off.
 */
export function xrunOf(line: string): 'overflow' | 'underflow' | undefined {
  if (!line.startsWith('AudioIO: portAudio status -')) return undefined;
  if (line.includes('input overflow')) return 'overflow';
  if (line.includes('input underflow')) return 'underflow';
  return undefined;
}

/**
 * The engine's handle on one audio capture process. PortAudio reports input
 * overflows by printing a line; they are counted here from the child's stdout.
 */
export class AudioCapture extends EventEmitter<AudioCaptureEvents> {
  overflows = 0;
  underflows = 0;
  exited = false;
  /** Why the process could not be started, when it could not. */
  startError: Error | undefined;
  private readonly log: LogFile;

  private constructor(private readonly child: ChildProcess, opts: AudioCaptureOptions) {
    super();
    this.log = new LogFile(opts.logFile, (e) => opts.onLogError?.(e, opts.logFile));
    const pidFile = opts.pidFile;
    const pid = pidFile ? new PidFile(pidFile, child.pid, (e) => opts.onLogError?.(e, pidFile)) : undefined;
    this.log.write(`${new Date().toISOString()} audio capture process ${child.pid} started\n`);
    // a process that cannot be started (its folder gone, node missing): said in its log and in the exit that follows
    child.on('error', (e) => {
      this.startError = e;
      this.log.write(`${new Date().toISOString()} the audio capture process could not be started or signalled: ${e.message}\n`);
    });
    child.stderr?.on('data', (b: Buffer) => this.log.write(b.toString()));
    if (child.stdout) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        this.log.write(`${line}\n`);
        const xrun = xrunOf(line);
        if (xrun === 'overflow') this.overflows++;
        if (xrun === 'underflow') this.underflows++;
        if (xrun) this.emit('xrun', xrun);
      });
    }
    child.on('message', (m: CaptureToEngine) => this.emit('message', m));
    // 'close', not 'exit': it comes after the IPC channel is drained, so every
    // segment the process reported has been received by then.
    child.on('close', (code, signal) => {
      this.exited = true;
      pid?.remove();
      this.emit('exit', code, signal);
      this.log.end();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Start a capture process; it must say it is ready within `timeoutMs` or it is killed. */
  static spawn(opts: AudioCaptureOptions, timeoutMs = 15_000): Promise<AudioCapture> {
    const { script, execArgv } = childEntry(import.meta.url, './capture-process');
    // A diagnostic (bench:capture --profile): V8's CPU profile of the process, written to that folder when it exits.
    const profileDir = process.env.ABK_CAPTURE_CPU_PROFILE;
    const child = fork(script, [], {
      cwd: opts.cwd,
      execArgv: profileDir ? [...execArgv, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : execArgv,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const cap = new AudioCapture(child, opts);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the audio capture process was not ready in ${timeoutMs / 1000} s (the audio driver did not answer); see ${opts.logFile}`));
      }, timeoutMs);
      const onMsg = (m: CaptureToEngine): void => {
        if (m.type === 'ready') { clearTimeout(timer); cap.off('exit', onExit); cap.off('message', onMsg); resolve(cap); }
      };
      const onExit = (code: number | null, sig: NodeJS.Signals | null): void => {
        clearTimeout(timer);
        const why = cap.startError ? `: ${cap.startError.message}` : ` (code ${code}, signal ${sig})`;
        reject(new Error(`the audio capture process exited before it was ready${why}; see ${opts.logFile}`));
      };
      cap.on('message', onMsg);
      cap.once('exit', onExit);
    });
  }

  send(msg: EngineToCapture): void {
    if (!this.exited && this.child.connected) this.child.send(msg);
  }

  start(req: Omit<CaptureStart, 'type'>): void {
    this.send({ type: 'start', ...req });
  }

  listDevices(timeoutMs = 10_000): Promise<AudioDeviceInfo[]> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the audio capture process did not list devices in time')), timeoutMs);
      const onMsg = (m: CaptureToEngine): void => {
        if (m.type === 'devices') { clearTimeout(t); this.off('message', onMsg); resolve(m.devices); }
      };
      this.on('message', onMsg);
      this.send({ type: 'list-devices' });
    });
  }

  /** Ask the child to close its files and exit; kill it if it does not within `timeoutMs`. */
  async stop(timeoutMs = 15_000, atWallMs?: number): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((r) => this.once('exit', () => r()));
    this.send(atWallMs === undefined ? { type: 'stop' } : { type: 'stop', atWallMs });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }
}
