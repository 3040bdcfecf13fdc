import { statfs } from 'node:fs/promises';

export type DiskLevel = 'ok' | 'warn' | 'stop';

/**
 * Watches free space where the recording is written: warns first, and asks
 * for a clean stop before the disk is actually full, so every file is closed
 * with a valid header rather than cut by ENOSPC.
 */
export class DiskMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  level: DiskLevel = 'ok';
  freeBytes = Number.POSITIVE_INFINITY;

  constructor(
    private readonly path: string,
    private readonly warnBytes: number,
    private readonly stopBytes: number,
    private readonly onChange: (level: DiskLevel, freeBytes: number) => void,
    /** The free space could not be read (the folder gone, the disk away): told, and asked again next time. */
    private readonly onError: (e: NodeJS.ErrnoException) => void,
  ) {}

  async check(): Promise<DiskLevel> {
    const s = await statfs(this.path);
    this.freeBytes = s.bavail * s.bsize;
    const level: DiskLevel = this.freeBytes <= this.stopBytes ? 'stop' : this.freeBytes <= this.warnBytes ? 'warn' : 'ok';
    if (level !== this.level) {
      this.level = level;
      this.onChange(level, this.freeBytes);
    }
    return level;
  }

  /** Checks every `everyMs`, four times as often once space is low. */
  start(everyMs = 2000): void {
    const tick = (): void => {
      void this.check().catch((e: NodeJS.ErrnoException) => this.onError(e)).finally(() => {
        if (this.running) this.timer = setTimeout(tick, this.level === 'ok' ? everyMs : everyMs / 4);
      });
    };
    this.running = true;
    this.timer = setTimeout(tick, everyMs);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }
}
