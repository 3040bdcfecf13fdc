import { statfsSync } from 'node:fs';
import { connect } from 'node:net';
import type { PrecheckStatus } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';

/** What a camera's recording takes per hour, as recorded here (640x360 H.264 ≈ 1.5 Mbit/s), with room to spare. */
const CAMERA_BYTES_PER_HOUR = 1.5e6 / 8 * 3600 * 1.5;

/**
 * Bytes an hour of this courtroom needs on the recordings disk until its files
 * are finished: the microphone segments and their joined files, the video and
 * the audio-video file, the mix.
 */
export function bytesPerHour(config: AbkConfig): number {
  const mics = config.audio.devices.reduce((n, d) => n + d.channels.length, 0);
  const wav = mics * config.audio.sampleRate * (config.audio.bitDepth / 8) * 3600;
  const video = config.video.cameras.length * CAMERA_BYTES_PER_HOUR;
  return 2 * wav + 2 * video + 128_000 / 8 * 3600;
}

export function diskStatus(config: AbkConfig): PrecheckStatus['disk'] {
  const st = statfsSync(config.recordingsRoot);
  const freeBytes = st.bavail * st.bsize;
  const perHour = bytesPerHour(config);
  const usable = Math.max(0, freeBytes - config.disk.stopFreeMiB * 1048576);
  const hoursLeft = usable / perHour;
  const level = freeBytes <= config.disk.stopFreeMiB * 1048576 ? 'full' : freeBytes <= config.disk.warnFreeMiB * 1048576 || hoursLeft < 2 ? 'low' : 'ok';
  return { freeBytes, bytesPerHour: Math.round(perHour), hoursLeft: Math.round(hoursLeft * 10) / 10, level };
}

/** A server is reachable when its SSH service greets us (`SSH-2.0-…`) within the time. */
export function sshGreeting(host: string, port: number, timeoutMs = 3000): Promise<{ reachable: boolean; detail: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let data = '';
    const done = (reachable: boolean, detail: string): void => { socket.destroy(); clearTimeout(timer); resolve({ reachable, detail }); };
    const timer = setTimeout(() => done(false, `no answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.on('data', (b) => {
      data += b.toString('latin1');
      const line = data.split('\n')[0]!;
      if (data.includes('\n')) done(line.startsWith('SSH-'), line.startsWith('SSH-') ? line.trim() : 'answers, but not as an SSH server');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? e.message));
  });
}

export async function serverStatus(config: AbkConfig): Promise<PrecheckStatus['servers']> {
  return Promise.all(config.replication.servers.map(async (s) => ({ id: s.id, host: s.host, port: s.port, ...(await sshGreeting(s.host, s.port)) })));
}
