import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * An IP camera on loopback (GStreamer's RTSP server, see rtsp-camera.py):
 * stop it to unplug the camera, start it again to plug it back; `picture`
 * freezes it or turns it black while its frames keep coming.
 */
export class RtspCamera {
  private child: ChildProcess | undefined;
  /** Who waits for a line of the camera's output. */
  private readonly listeners = new Set<(line: string) => void>();

  constructor(readonly port: number, readonly path = '/cam') {}

  get url(): string {
    return `rtsp://127.0.0.1:${this.port}${this.path}`;
  }

  start(timeoutMs = 10_000): Promise<void> {
    const script = fileURLToPath(new URL('./rtsp-camera.py', import.meta.url));
    // Debian's python3 has the GObject bindings; a pyenv python on PATH may not.
    const child = spawn('/usr/bin/python3', [script, String(this.port), this.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    // its stdin closes when it exits; the exit itself is what is reported
    child.stdin!.on('error', (e) => { stderr += `stdin: ${e.message}\n`; });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP camera did not start: ${stderr}`)), timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('ready ')) { clearTimeout(timer); resolve(); }
        this.listeners.forEach((l) => l(line));
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`RTSP camera exited (${code}): ${stderr}`)); });
    });
  }

  /** Show a still image, a black picture, or the moving picture again; resolves when the camera says it has. */
  picture(mode: 'frozen' | 'black' | 'live', timeoutMs = 5000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return Promise.reject(new Error('the RTSP camera is not running'));
    return new Promise((resolve, reject) => {
      const listener = (line: string): void => {
        if (line !== `picture ${mode}`) return;
        clearTimeout(timer); this.listeners.delete(listener); resolve();
      };
      const timer = setTimeout(() => { this.listeners.delete(listener); reject(new Error(`the RTSP camera did not change to ${mode}`)); }, timeoutMs);
      this.listeners.add(listener);
      child.stdin!.write(`${mode}\n`);
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
}
