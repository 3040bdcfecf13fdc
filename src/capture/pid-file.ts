import { rmSync, writeFileSync } from 'node:fs';

/**
 * A child's pid beside the files it writes, removed when it exits. An engine
 * that died leaves it behind, and the next engine uses it to stop (cleanly,
 * so the file stays whole) a camera's ffmpeg or a capture process that
 * outlived it, before it repairs and finalizes their files.
 */
export class PidFile {
  constructor(readonly path: string, pid: number | undefined) {
    if (pid !== undefined) writeFileSync(path, `${pid}\n`);
  }

  remove(): void {
    rmSync(this.path, { force: true });
  }
}
