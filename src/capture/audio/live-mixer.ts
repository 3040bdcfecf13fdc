import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';

export interface LiveMixerSpec {
  ffmpeg: string;
  args: string[];
  /** Device keys in ffmpeg input order. */
  inputs: string[];
  logFile: string;
}

/** Past this much audio waiting for ffmpeg, it is not keeping up: the mix is given up, never the recording. */
const MAX_BACKLOG_BYTES = 32 * 1024 * 1024;

/**
 * The mix of all microphones, encoded while recording by an ffmpeg fed with
 * the raw interleaved buffers of each device. It runs beside the WAV writing
 * and can only fail on its own: a dead, missing or lagging ffmpeg is reported
 * once and left behind (finalize then mixes from the WAV files); a crash of the
 * capture process closes its pipes and ffmpeg finishes the file.
 */
export class LiveMixer {
  private readonly child: ChildProcess;
  private readonly pipes = new Map<string, Writable>();
  private failed: string | undefined;
  private readonly exited: Promise<void>;

  constructor(spec: LiveMixerSpec, private readonly onFail: (reason: string) => void) {
    const log = openSync(spec.logFile, 'a');
    const extra = spec.inputs.slice(1).map(() => 'pipe' as const);
    // Its own process group: Ctrl+C in a terminal must not end the mix (only stdin's end does).
    this.child = spawn(spec.ffmpeg, spec.args, { stdio: ['pipe', 'ignore', log, ...extra], detached: process.platform !== 'win32' });
    closeSync(log);
    spec.inputs.forEach((key, i) => {
      const pipe = this.child.stdio[i === 0 ? 0 : i + 2] as Writable;
      pipe.on('error', () => this.fail(`ffmpeg closed input ${key}`));
      this.pipes.set(key, pipe);
    });
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => { this.fail(`ffmpeg could not be started: ${e.message}`); resolve(); });
      this.child.on('exit', (code, signal) => {
        if (code !== 0) this.fail(`ffmpeg ended with ${signal ?? `code ${code}`}`);
        resolve();
      });
    });
  }

  get ok(): boolean {
    return this.failed === undefined;
  }

  write(device: string, interleaved: Buffer): void {
    const pipe = this.pipes.get(device);
    if (!pipe || this.failed) return;
    if (pipe.writableLength > MAX_BACKLOG_BYTES) {
      this.fail('ffmpeg is not keeping up');
      this.child.kill('SIGKILL');
      return;
    }
    pipe.write(interleaved);
  }

  /** Silence on one input: a restart's gap, so the mix stays on the timeline. */
  pad(device: string, bytes: number): void {
    const chunk = Buffer.alloc(Math.min(bytes, 1 << 20));
    for (let left = bytes; left > 0; left -= chunk.length) this.write(device, left >= chunk.length ? chunk : chunk.subarray(0, left));
  }

  /** End one device's input (it stopped); the others go on. */
  end(device: string): void {
    this.pipes.get(device)?.end();
  }

  /** End every input and wait for ffmpeg to write the end of its files. */
  async close(timeoutMs = 15_000): Promise<void> {
    for (const p of this.pipes.values()) p.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  private fail(reason: string): void {
    if (this.failed) return;
    this.failed = reason;
    this.onFail(reason);
  }
}
