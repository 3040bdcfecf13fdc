import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { redactCredentials } from '../../shared/redact.js';
import { LogFile } from '../log-file.js';
import { PidFile } from '../pid-file.js';

/** One block of ffmpeg's `-progress` output. */
export interface FfmpegProgress { frame: number; outTimeMs: number; fps: number; speed: number; end: boolean; wallMs: number }

interface FfmpegEvents {
  progress: [FfmpegProgress];
  /** The first input's start time when it is a wall-clock time (epoch ms). */
  inputStart: [number];
  exit: [number | null, NodeJS.Signals | null];
  /** A line of ffmpeg's diagnostics (credentials removed): filters such as freezedetect speak here. */
  line: [string];
  /** The log file could not be written (a full disk): ffmpeg itself goes on. */
  logError: [NodeJS.ErrnoException, string];
}

/**
 * ffmpeg run with an argument array (never a shell), its progress parsed, its
 * diagnostics kept in a log and the last lines in memory for error messages,
 * and stopped the way that keeps the file whole: `q` on stdin, then SIGINT,
 * then SIGKILL.
 */
export class FfmpegProcess extends EventEmitter<FfmpegEvents> {
  private readonly child: ChildProcess;
  private readonly log: LogFile | undefined;
  private readonly tail: string[] = [];
  private sawInputStart = false;
  exited = false;
  exitCode: number | null = null;
  readonly done: Promise<void>;

  constructor(ffmpeg: string, args: string[], logFile?: string, pidFile?: string) {
    super();
    // No -nostdin: stdin is ours, and carries only the `q` that stops ffmpeg cleanly.
    const full = ['-hide_banner', '-nostats', '-progress', 'pipe:1', ...args];
    // Its own process group on POSIX: Ctrl+C in the terminal must not stop a
    // camera behind the engine's back. If the engine dies, ffmpeg's next progress
    // write hits a closed pipe and ends it, so it is never left recording alone.
    this.child = spawn(ffmpeg, full, { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    this.log = logFile ? new LogFile(logFile, (e) => this.emit('logError', e, logFile)) : undefined;
    const pid = pidFile ? new PidFile(pidFile, this.child.pid, (e) => queueMicrotask(() => this.emit('logError', e, pidFile))) : undefined;
    // Camera addresses may carry a password: nothing with one is written or shown.
    this.log?.write(`$ ${ffmpeg} ${redactCredentials(full.join(' '))}\n`);
    // ffmpeg may exit before reading `q`: its closed stdin is expected, and its exit is what is reported
    this.child.stdin?.on('error', (e) => this.tail.push(`stdin: ${e.message}`));
    createInterface({ input: this.child.stderr! }).on('line', (raw) => {
      const line = redactCredentials(raw);
      this.log?.write(`${line}\n`);
      this.tail.push(line);
      if (this.tail.length > 20) this.tail.shift();
      this.emit('line', line);
      const start = /^\s+Duration: .*, start: (\d+\.\d+)/.exec(line);
      if (start && !this.sawInputStart) {
        this.sawInputStart = true;
        const ms = Number(start[1]) * 1000;
        if (ms > 1e12) this.emit('inputStart', ms);
      }
    });
    let block: Record<string, string> = {};
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const eq = line.indexOf('=');
      if (eq < 0) return;
      const key = line.slice(0, eq);
      block[key] = line.slice(eq + 1).trim();
      if (key === 'progress') {
        this.emit('progress', {
          frame: Number(block.frame ?? 0),
          outTimeMs: Number(block.out_time_us ?? block.out_time_ms ?? 0) / 1000,
          fps: Number(block.fps ?? 0),
          speed: Number.parseFloat(block.speed ?? '0') || 0,
          end: block.progress === 'end',
          wallMs: Date.now(),
        });
        block = {};
      }
    });
    this.done = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exited = true;
        this.exitCode = code;
        this.log?.end();
        pid?.remove();
        this.emit('exit', code, signal);
        resolve();
      });
      this.child.on('error', (e) => {
        this.tail.push(e.message);
        if (!this.exited) { this.exited = true; this.emit('exit', -1, null); resolve(); }
      });
    });
  }

  /** The last lines ffmpeg printed, for an error message. */
  lastLines(n = 5): string {
    return this.tail.slice(-n).join('\n');
  }

  /**
   * Graceful stop ladder; resolves when ffmpeg has exited. On POSIX, SIGINT
   * first: ffmpeg finishes the file as for `q`, but acts on a signal at once,
   * while it reads `q` from stdin only every 100 ms (a 2–3 frame overshoot).
   * Windows has no SIGINT for a child, so there `q` comes first.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exited) return;
    const steps: (() => void)[] = [() => this.child.stdin?.end('q'), () => this.child.kill('SIGINT')];
    if (process.platform !== 'win32') steps.reverse();
    for (const step of steps) {
      step();
      if (await this.exitsWithin(graceMs)) return;
    }
    this.child.kill('SIGKILL');
    await this.done;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private exitsWithin(ms: number): Promise<boolean> {
    return Promise.race([this.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }
}
