import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** These tests mount small file systems, which needs root; CI runs as root, so there they always run (and fail loudly if it did not). */
export const isRoot = process.getuid?.() === 0 || process.env.CI === 'true';

/** Small file systems of their own (tmpfs), to fill up or to mount read-only; `close` unmounts them all. */
export class SmallDisks {
  private readonly mounts: string[] = [];

  constructor(private readonly under: string) {}

  mount(name: string, sizeMiB: number, readOnly = false): string {
    const dir = join(this.under, name);
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m${readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
    this.mounts.push(dir);
    return dir;
  }

  close(): void {
    for (const m of this.mounts.splice(0)) execFileSync('umount', ['-l', m]);
  }
}
