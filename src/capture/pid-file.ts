import { rmSync, writeFileSync } from 'node:fs';

/**
 * A child's pid beside the files it writes, removed when it exits. An engine
 * that died leaves it behind, and the next engine uses it to stop (cleanly,
 * so the file stays whole) a camera's ffmpeg or a capture process that
 * outlived it, before it repairs and finalizes their files.
 */
export class PidFile {
  /** A pid file that cannot be written (its folder gone, the disk full) is reported, never thrown: the child runs on without it. */
  constructor(readonly path: string, pid: number | undefined, onError: (e: Error) => void) {
    if (pid === undefined) return;
    try {
      writeFileSync(path, `${pid}\n`);
    } catch (e) {
      onError(e as Error);
    }
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
