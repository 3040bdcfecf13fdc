import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * An IP camera on loopback (GStreamer's RTSP server, see rtsp-camera.py):
 * stop it to unplug the camera, start it again to plug it back.
 */
export class RtspCamera {
  private child: ChildProcess | undefined;

  constructor(readonly port: number, readonly path = '/cam') {}

  get url(): string {
    return `rtsp://127.0.0.1:${this.port}${this.path}`;
  }

  start(timeoutMs = 10_000): Promise<void> {
    const script = fileURLToPath(new URL('./rtsp-camera.py', import.meta.url));
    // Debian's python3 has the GObject bindings; a pyenv python on PATH may not.
    const child = spawn('/usr/bin/python3', [script, String(this.port), this.path], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`RTSP camera did not start: ${stderr}`)), timeoutMs);
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('ready ')) { clearTimeout(timer); resolve(); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`RTSP camera exited (${code}): ${stderr}`)); });
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
