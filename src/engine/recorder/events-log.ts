import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';

/**
 * An append-only JSON-lines log of a sitting's timeline facts (starts, gaps,
 * problems, segments). Each line is written at once and flushed to the device
 * off the event loop, so a crash loses at most the last moment. Issue #3 moves
 * this into SQLite; the file stays as the sitting's plain-text record.
 */
export class EventsLog {
  private readonly fd: number;
  private flushing = false;
  private dirty = false;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Lines that could not be written (a full disk); the recorder reports the disk problem itself. */
  lost = 0;

  append(event: Record<string, unknown>): void {
    // after close the descriptor's number may belong to another file by now: nothing is written through it
    if (this.closed) return;
    try {
      writeSync(this.fd, `${JSON.stringify({ wallMs: Date.now(), ...event })}\n`);
    } catch {
      this.lost += 1;
      return;
    }
    this.dirty = true;
    this.flush();
  }

  private flush(): void {
    if (this.flushing || !this.dirty) return;
    this.flushing = true;
    this.dirty = false;
    fdatasync(this.fd, () => {
      // an error here is the disk's, which the writes above and the disk monitor report
      this.flushing = false;
      if (this.closed) return;
      this.flush();
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
