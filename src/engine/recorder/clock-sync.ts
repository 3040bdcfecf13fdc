import { execFile } from 'node:child_process';

export interface ClockSync { state: 'synced' | 'unsynced' | 'unknown'; detail: string }

/** A program's output, or undefined when it is absent or fails (then the next way of asking is tried). */
function output(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000, windowsHide: true }, (e, stdout) => resolve(e ? undefined : stdout));
  });
}

/**
 * Whether the system clock is kept synchronised, asked the way the system
 * answers: systemd's timedatectl, chrony, or Windows' w32tm. `unknown` when
 * none of them is there to say (the protocol says so).
 */
export async function clockSync(platform = process.platform): Promise<ClockSync> {
  if (platform === 'win32') {
    const out = await output('w32tm', ['/query', '/status']);
    if (out === undefined) return { state: 'unknown', detail: 'w32tm did not answer' };
    const source = /^Source:\s*(.+)$/m.exec(out)?.[1]?.trim() ?? '';
    return /Local CMOS Clock|Free-running/i.test(source) || source === '' ? { state: 'unsynced', detail: `w32tm: ${source || 'no source'}` } : { state: 'synced', detail: `w32tm: ${source}` };
  }
  const timedatectl = await output('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
  if (timedatectl !== undefined && /^(yes|no)$/m.test(timedatectl.trim())) {
    return timedatectl.trim() === 'yes' ? { state: 'synced', detail: 'timedatectl' } : { state: 'unsynced', detail: 'timedatectl: NTPSynchronized=no' };
  }
  const chrony = await output('chronyc', ['-n', 'tracking']);
  if (chrony !== undefined) {
    const leap = /^Leap status\s*:\s*(.+)$/m.exec(chrony)?.[1]?.trim() ?? '';
    return leap === 'Normal' ? { state: 'synced', detail: 'chrony' } : { state: 'unsynced', detail: `chrony: ${leap || 'no answer'}` };
  }
  return { state: 'unknown', detail: 'neither timedatectl nor chronyc is there to say' };
}
