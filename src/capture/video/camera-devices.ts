import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface VideoInput { kind: 'v4l2' | 'dshow' | 'avfoundation'; device: string; name: string }

/**
 * Cameras attached to this PC, as ffmpeg will name them: /dev/video* on
 * Linux, DirectShow names on Windows, AVFoundation indexes on macOS.
 * IP cameras are not discoverable this way: they come from the configuration.
 */
export async function listVideoInputs(ffmpeg: string): Promise<VideoInput[]> {
  if (process.platform === 'linux') {
    let entries: string[] = [];
    try {
      entries = readdirSync('/dev').filter((f) => /^video\d+$/.test(f));
    } catch {
      return [];
    }
    return entries.sort().map((f) => ({ kind: 'v4l2', device: `/dev/${f}`, name: f }));
  }
  const kind = process.platform === 'win32' ? 'dshow' : 'avfoundation';
  // ffmpeg lists devices on stderr and exits non-zero by design.
  const out = await run(ffmpeg, ['-hide_banner', '-f', kind, '-list_devices', 'true', '-i', kind === 'dshow' ? 'dummy' : ''])
    .then((r) => r.stderr, (e: { stderr?: string }) => e.stderr ?? '');
  return parseDeviceList(kind, out);
}

export function parseDeviceList(kind: 'dshow' | 'avfoundation', stderr: string): VideoInput[] {
  const found: VideoInput[] = [];
  let inVideo = kind === 'dshow';
  for (const line of stderr.split('\n')) {
    if (kind === 'avfoundation') {
      if (/AVFoundation video devices/.test(line)) inVideo = true;
      else if (/AVFoundation audio devices/.test(line)) inVideo = false;
      const m = /\[(\d+)\] (.+)$/.exec(line);
      if (inVideo && m) found.push({ kind, device: m[1]!, name: m[2]!.trim() });
    } else {
      const m = /"([^"]+)" \(video\)/.exec(line);
      if (m) found.push({ kind, device: m[1]!, name: m[1]! });
    }
  }
  return found;
}
