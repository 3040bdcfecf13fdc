import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../../capture/audio/hash-file.js';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { fileNames, liveMixNames } from '../../shared/naming.js';
import type { SittingSummary } from '../recorder/recorder-types.js';
import { microphoneFiles, type ManifestFile } from './manifest.js';
import { audioClockPpm, videoStartMs } from './media-timeline.js';
import { concatList, joinCopy, mixFromWavs, muxAudioVideo, probeDurationMs } from './media-steps.js';
import type { Progress } from './progress.js';

export interface ProductsInput {
  s: SittingSummary;
  workDir: string;
  stage: string;
  tools: FfmpegTools;
  progress: Progress;
  mediaMs: number;
  /** The microphone files, waited for only when the mix must be made from them. */
  micFiles: () => Promise<ManifestFile[]>;
}

/**
 * What ffmpeg makes for a sitting, in the staging folder: the mix (the live
 * encoder's pieces when they cover the sitting, else mixed from the microphone
 * files), each camera's video copied, and the audio-video file from the first
 * camera and the mix. Video is never re-encoded.
 */
export async function makeProducts(input: ProductsInput): Promise<{ files: ManifestFile[]; liveMix: boolean }> {
  // each file is hashed while ffmpeg makes the next (a read from the page cache beside a remux), all awaited at the end
  const files: Promise<ManifestFile>[] = [];
  const hashing = (f: Promise<ManifestFile>): void => {
    f.catch(() => undefined); // not dropped: Promise.all below throws it to finalize's caller (an alarm); this only keeps it from going unhandled meanwhile
    files.push(f);
  };
  try {
    const liveMix = await makeEach(input, hashing);
    return { files: await Promise.all(files), liveMix };
  } catch (e) {
    await Promise.allSettled(files); // no read left open in the staging folder
    throw e;
  }
}

/** The mix, each camera's video, the A/V file, one after another; each handed to `hashing` as soon as it is made. Whether the live mix was used. */
async function makeEach(input: ProductsInput, hashing: (f: Promise<ManifestFile>) => void): Promise<boolean> {
  const { s, workDir, stage, tools, progress, mediaMs } = input;
  progress.step('mix');
  const live = livePieces(s, workDir);
  const liveMix = live !== undefined && await coversSitting(tools.ffprobe, live.map((p) => p.mp3), mediaMs);
  const mixName = fileNames.mix(s.base);
  let m4a: { path: string; concat: boolean };
  if (liveMix) {
    await joinCopy(tools.ffmpeg, live.map((p) => ({ path: p.mp3 })), join(stage, mixName), 'mp3', workDir, (ms) => progress.media(ms));
    m4a = live.length === 1 ? { path: live[0]!.m4a, concat: false } : { path: join(workDir, 'mix-m4a.txt'), concat: true };
    if (m4a.concat) concatList(m4a.path, live.map((p) => ({ path: p.m4a })));
  } else {
    const remix = join(workDir, 'mix.remade.m4a');
    const mics = await input.micFiles();
    await mixFromWavs(tools.ffmpeg, microphoneFiles(mics).map((fs) => fs.map((f) => join(stage, f.name))), workDir, { m4a: remix, mp3: join(stage, mixName) }, (ms) => progress.media(ms));
    m4a = { path: remix, concat: false };
  }
  hashing(productFile(tools, stage, mixName, 'mix'));

  progress.step('video');
  const cameras = [...new Set(s.videoSegments.map((v) => v.camera))];
  let firstVideoMs = 0;
  for (const [i, cam] of cameras.entries()) {
    const segs = s.videoSegments.filter((v) => v.camera === cam).sort((a, b) => a.index - b.index);
    const name = fileNames.video(s.base, i);
    const starts = segs.map((v) => videoStartMs(s, v.offsetMs));
    if (i === 0) firstVideoMs = starts[0]!;
    await joinCopy(tools.ffmpeg, segs.map((v, k) => ({ path: join(workDir, v.file), ...(k + 1 < segs.length ? { durationMs: starts[k + 1]! - starts[k]! } : {}) })),
      join(stage, name), 'mp4', workDir, (ms) => progress.media(ms));
    hashing(productFile(tools, stage, name, 'video').then((f) => ({ ...f, camera: cam })));
  }
  if (cameras.length > 0) {
    progress.step('audio-video');
    const name = fileNames.av(s.base);
    const audioStartMs = await muxAudioVideo(tools.ffmpeg, s.sampleRate, firstVideoMs, join(stage, fileNames.video(s.base, 0)), m4a, join(stage, name), (ms) => progress.media(ms), audioClockPpm(s));
    hashing(productFile(tools, stage, name, 'audio-video').then((f) => ({ ...f, camera: cameras[0]!, audioStartMs })));
  }
  return liveMix;
}

/** A file ffmpeg made: its checksums (read once, from the page cache) and its duration. */
async function productFile(tools: FfmpegTools, stage: string, name: string, kind: ManifestFile['kind']): Promise<ManifestFile> {
  const path = join(stage, name);
  const [h, durationMs] = await Promise.all([hashFile(path), probeDurationMs(tools.ffprobe, path)]);
  return { name, kind, bytes: h.bytes, md5: h.md5, sha256: h.sha256, durationMs };
}

function livePieces(s: SittingSummary, workDir: string): { take: number; m4a: string; mp3: string }[] | undefined {
  // a segment removed after it was recorded is silence in its microphone's file: the mix is made from those files, so it holds the same
  if (s.gaps.some((g) => g.cause === 'segment-removed')) return undefined;
  const takes = [...new Set(s.takes.map((t) => t.take))].sort((a, b) => a - b);
  const pieces = takes.map((take) => {
    const names = liveMixNames(take);
    return { take, m4a: join(workDir, names.m4a), mp3: join(workDir, names.mp3) };
  });
  return pieces.length > 0 && pieces.every((p) => existsSync(p.m4a) && existsSync(p.mp3)) ? pieces : undefined;
}

/** The live pieces together are as long as the microphones (a killed encoder leaves its piece short). */
async function coversSitting(ffprobe: string, mp3s: string[], expectedMs: number): Promise<boolean> {
  const total = (await Promise.all(mp3s.map((p) => probeDurationMs(ffprobe, p)))).reduce((a, b) => a + b, 0);
  return Math.abs(total - expectedMs) <= 500;
}
