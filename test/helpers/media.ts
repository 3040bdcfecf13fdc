import { execFileSync } from 'node:child_process';

export interface Probe {
  format: { duration?: string; format_name: string };
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; sample_rate?: string; channels?: number; nb_read_frames?: string }[];
}

export function ffprobe(path: string, countFrames = false): Probe {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...(countFrames ? ['-count_frames'] : []), path];
  return JSON.parse(execFileSync('ffprobe', args, { encoding: 'utf8' })) as Probe;
}

/** Decodes the whole file; returns ffmpeg's error output (empty when the file is whole). */
export function decodeErrors(path: string): string {
  try {
    return execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return String((e as { stderr?: string }).stderr ?? e);
  }
}

export const md5sum = (path: string): string => execFileSync('md5sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
export const sha256sum = (path: string): string => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0]!;
