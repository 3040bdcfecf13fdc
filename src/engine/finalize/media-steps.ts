import { execFile } from 'node:child_process';
import { existsSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mixCoreArgs } from '../../capture/audio/mix-args.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** ffprobe's duration of a file in milliseconds (0 when it cannot be read). */
export async function probeDurationMs(ffprobe: string, path: string): Promise<number> {
  try {
    const { stdout } = await promisify(execFile)(ffprobe, ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
    const s = Number(stdout.trim());
    return Number.isFinite(s) ? Math.round(s * 1000) : 0;
  } catch {
    return 0;
  }
}

export function linkInto(src: string, target: string): void {
  if (existsSync(target)) unlinkSync(target);
  linkSync(src, target);
}

/** A concat-demuxer list; `durationMs` places the next file (keeps a camera's gap as a gap). */
export function concatList(path: string, files: { path: string; durationMs?: number }[]): string {
  const quote = (p: string): string => `'${p.replace(/'/g, "'\\''")}'`;
  writeFileSync(path, files.map((f) => `file ${quote(f.path)}\n${f.durationMs !== undefined ? `duration ${(f.durationMs / 1000).toFixed(6)}\n` : ''}`).join(''));
  return path;
}

/** Join pieces of one stream without re-encoding; one piece is linked. */
export async function joinCopy(ffmpeg: string, pieces: { path: string; durationMs?: number }[], target: string, format: 'mp3' | 'mp4', scratch: string, progress: (ms: number) => void): Promise<void> {
  if (pieces.length === 1) { linkInto(pieces[0]!.path, target); return; }
  const list = concatList(join(scratch, `${format}-${Date.now()}.txt`), pieces);
  const fmt = format === 'mp3' ? ['-f', 'mp3'] : ['-movflags', '+faststart', '-f', 'mp4'];
  await runFfmpeg(ffmpeg, ['-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', ...fmt, target], progress);
}

/**
 * ffmpeg's input for one microphone: its file, or its parts (past the WAV
 * limit) read one after another through a concat list written to `scratch`.
 */
export function micInput(parts: string[], scratch: string, n: number): string[] {
  if (parts.length === 1) return ['-i', parts[0]!];
  return ['-f', 'concat', '-safe', '0', '-i', concatList(join(scratch, `mic-${n}-parts.txt`), parts.map((path) => ({ path })))];
}

/** The mix made again from the joined microphone files (when the live mix is missing or short); each entry is one microphone's file(s). */
export async function mixFromWavs(ffmpeg: string, mics: string[][], scratch: string, out: { m4a: string; mp3: string }, progress: (ms: number) => void): Promise<void> {
  await runFfmpeg(ffmpeg, mixCoreArgs(mics.map((parts, i) => ({ input: micInput(parts, scratch, i), channels: [0] })), out), progress);
}

/**
 * The audio-video file: the video as recorded (copied, never re-encoded) and
 * the mix, each placed by its measured start (`offsetMs`: the video's first
 * frame in media time, negative when the camera started first), with the index at the front so
 * it plays in any player, from a disc or over the network. `clockPpm`
 * (media-timeline.ts audioClockPpm): the sound card's clock against the
 * system clock that stamped the video; the video's timestamps are scaled by
 * it (`-itsscale`, still no re-encoding), so a card 50 ppm fast does not
 * leave the picture 0.7 s behind the sound after four hours.
 */
export async function muxAudioVideo(ffmpeg: string, sampleRate: number, offsetMs: number, video: string, audio: { path: string; concat: boolean }, target: string, progress: (ms: number) => void, clockPpm = 0): Promise<number> {
  // The mix's AAC comes from fragmented MP4, which does not carry the encoder's
  // priming (1024 samples before the first real one), so players would play
  // the audio that much late: it is started that much earlier instead.
  const primingMs = (AAC_PRIMING_SAMPLES * 1000) / sampleRate;
  // The file's zero is whichever began first; the other is shifted by the difference.
  let audioAt = Math.max(0, -offsetMs) - primingMs;
  let videoAt = Math.max(0, offsetMs);
  if (audioAt < 0) { videoAt -= audioAt; audioAt = 0; }
  const audioIn = audio.concat ? ['-f', 'concat', '-safe', '0', '-i', audio.path] : ['-i', audio.path];
  const scale = 1 + clockPpm / 1e6;
  await runFfmpeg(ffmpeg, [
    // ffmpeg scales the offset with the timestamps: given in the video's own time
    ...(clockPpm !== 0 ? ['-itsscale', scale.toFixed(9)] : []), '-itsoffset', (videoAt / scale / 1000).toFixed(6), '-i', video,
    '-itsoffset', (audioAt / 1000).toFixed(6), ...audioIn,
    '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', target,
  ], progress);
  // where the sitting's first sample plays in the file
  return Math.round(audioAt + primingMs);
}

/** Samples ffmpeg's AAC encoder puts before the first real one. */
const AAC_PRIMING_SAMPLES = 1024;
