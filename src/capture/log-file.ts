import { createWriteStream, type WriteStream } from 'node:fs';

/**
 * A diagnostic log (ffmpeg's or the capture process's output) that can never
 * take the process down: a write error (a full disk, a removed folder) is
 * reported once through `onError`, and later lines are dropped, while the
 * recording the log describes goes on.
 */
export class LogFile {
  private readonly stream: WriteStream;
  private failed = false;

  constructor(readonly path: string, onError: (e: NodeJS.ErrnoException) => void) {
    this.stream = createWriteStream(path, { flags: 'a' });
    this.stream.on('error', (e: NodeJS.ErrnoException) => {
      if (this.failed) return;
      this.failed = true;
      onError(e);
    });
  }

  write(text: string): void {
    if (!this.failed && !this.stream.destroyed) this.stream.write(text);
  }

  end(): void {
    if (!this.stream.destroyed) this.stream.end();
  }
}
