import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hashFile } from '../../capture/audio/hash-file.js';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { fileNames, finalFolder } from '../../shared/naming.js';
import type { SittingFields } from '../../shared/sitting.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import type { SittingSummary } from '../recorder/recorder-types.js';
import { writeFileDurable, writeJsonAtomic } from '../recorder/sitting-folder.js';
import type { Mark } from '../sittings/sitting-store.js';
import { buildManifest } from './build-manifest.js';
import { md5sums, readManifest, type Manifest, type ManifestFile } from './manifest.js';
import { mediaFrames, micParts, videoStartMs } from './media-timeline.js';
import { concatList, joinCopy, mixFromWavs, muxAudioVideo, probeDurationMs } from './media-steps.js';
import { joinWav } from './wav-join.js';

export interface FinalizeProgress { step: string; percent: number; etaMs: number | undefined }

export interface FinalizeInput {
  root: string;
  workDir: string;
  summary: SittingSummary;
  fields?: SittingFields | undefined;
  marks?: Mark[] | undefined;
  tools: FfmpegTools;
  onProgress?: (p: FinalizeProgress) => void;
}

export interface FinalizeResult {
  dir: string;
  manifestName: string;
  manifest: Manifest;
  alreadyFinalized: boolean;
  /** Bytes read only to compute checksums before the files were ready. */
  bytesReadForHashing: number;
  /** Whether the mix came from the live encoder (else it was made from the microphone files). */
  liveMix: boolean;
  /** Resolves when every file has been read back and matches its MD5 and SHA-256. */
  verified: Promise<{ ok: boolean; mismatched: string[] }>;
}

/** The summary `sitting.json` left by a recording. */
export function readSummary(workDir: string): SittingSummary {
  return JSON.parse(readFileSync(join(workDir, 'sitting.json'), 'utf8')) as SittingSummary;
}

/** Where a sitting's finished files go. */
export function finalDirOf(root: string, s: Pick<SittingSummary, 'caseNumber' | 'zeroWallMs' | 'base'>): string {
  return join(root, ...finalFolder(s.caseNumber, s.zeroWallMs, s.base));
}

/**
 * Turns a recording's working folder into the electronic protocol's files:
 * one WAV per microphone, the mix, the video, the audio-video file, the
 * manifest and MD5SUMS, read-only. Everything is built in a staging folder and
 * moved into place in one rename, so a crash leaves either nothing or the whole
 * set; run again, it does the work again from the segments, and once the set
 * is in place it changes nothing.
 */
export async function finalizeSitting(input: FinalizeInput): Promise<FinalizeResult> {
  const { summary: s, workDir, tools } = input;
  const dir = finalDirOf(input.root, s);
  const manifestName = fileNames.manifest(s.base);
  if (existsSync(join(dir, manifestName))) {
    const manifest = readManifest(dir, manifestName);
    return { dir, manifestName, manifest, alreadyFinalized: true, bytesReadForHashing: 0, liveMix: false, verified: verifyFiles(dir, manifest.files) };
  }
  const stage = join(workDir, 'final');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const mediaMs = (mediaFrames(s) * 1000) / s.sampleRate;
  const progress = new Progress(s.audioSegments.reduce((n, a) => n + a.bytes, 0), mediaMs, input.onProgress);
  const files: ManifestFile[] = [];
  let bytesReadForHashing = 0;

  // 1. One file per microphone.
  progress.step('microphones');
  let mic = 0;
  for (const plan of s.devices) {
    for (const track of plan.tracks) {
      mic += 1;
      const parts = micParts(s, track.stem);
      if (parts.length === 0) continue;
      const name = fileNames.mic(s.base, track.stem);
      const first = s.takes.find((t) => t.device === plan.key) ?? s.takes[0]!;
      const joined = joinWav(workDir, parts, {
        sampleRate: s.sampleRate, bitDepth: s.bitDepth, description: `ABK ABT ${s.base} ${track.stem}`, trackName: track.trackName,
        project: s.base, take: 'sitting', originationDate: almatyDate(first.firstSampleWallMs), originationTime: almatyTime(first.firstSampleWallMs),
        timeReference: 0,
      }, join(stage, name), (b) => progress.add(b));
      files.push({
        name, kind: 'microphone', bytes: joined.bytes, md5: joined.md5, sha256: joined.sha256,
        durationMs: Math.round((joined.frames * 1000) / s.sampleRate),
        microphone: { number: mic, stem: track.stem, seat: track.stem.replace(/^mic\d+_/, ''), trackName: track.trackName, device: plan.key, deviceChannel: track.deviceChannel + 1 },
      });
    }
  }

  // 2. The mix: the live encoder's pieces when they cover the sitting, else made from the microphones.
  progress.step('mix');
  const live = livePieces(s, workDir);
  const liveOk = live !== undefined && await coversSitting(tools.ffprobe, live.map((p) => p.mp3), mediaMs);
  const mixName = fileNames.mix(s.base);
  let m4a: { path: string; concat: boolean };
  if (liveOk) {
    await joinCopy(tools.ffmpeg, live.map((p) => ({ path: p.mp3 })), join(stage, mixName), 'mp3', workDir, (ms) => progress.media(ms));
    m4a = live.length === 1 ? { path: live[0]!.m4a, concat: false } : { path: join(workDir, 'mix-m4a.txt'), concat: true };
    if (m4a.concat) concatList(m4a.path, live.map((p) => ({ path: p.m4a })));
  } else {
    const remix = join(workDir, 'mix.remade.m4a');
    await mixFromWavs(tools.ffmpeg, files.filter((f) => f.kind === 'microphone').map((f) => join(stage, f.name)), { m4a: remix, mp3: join(stage, mixName) }, (ms) => progress.media(ms));
    m4a = { path: remix, concat: false };
  }
  files.push(await productFile(tools, stage, mixName, 'mix'));

  // 3. The video of each camera, and the audio-video file from the first.
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
    files.push({ ...(await productFile(tools, stage, name, 'video')), camera: cam });
  }
  if (cameras.length > 0) {
    progress.step('audio-video');
    const name = fileNames.av(s.base);
    const audioStartMs = await muxAudioVideo(tools.ffmpeg, s.sampleRate, firstVideoMs, join(stage, fileNames.video(s.base, 0)), m4a, join(stage, name), (ms) => progress.media(ms));
    files.push({ ...(await productFile(tools, stage, name, 'audio-video')), camera: cameras[0]!, audioStartMs });
  }
  bytesReadForHashing += files.filter((f) => f.kind !== 'microphone').reduce((n, f) => n + f.bytes, 0);

  // 4. Manifest and MD5SUMS; then everything read-only and moved into place at once.
  progress.step('manifest');
  const manifest = buildManifest(s, files, input.fields, input.marks ?? []);
  writeJsonAtomic(join(stage, manifestName), manifest);
  const manifestHash = await hashFile(join(stage, manifestName));
  writeFileDurable(join(stage, 'MD5SUMS'), md5sums([...files, { name: manifestName, md5: manifestHash.md5 }]));
  for (const f of [...files.map((x) => x.name), manifestName, 'MD5SUMS']) chmodSync(join(stage, f), 0o444);
  mkdirSync(dirname(dir), { recursive: true });
  renameSync(stage, dir);
  progress.step('done');
  return { dir, manifestName, manifest, alreadyFinalized: false, bytesReadForHashing, liveMix: liveOk, verified: verifyFiles(dir, manifest.files) };
}

/** A file ffmpeg made: its checksums (read once, from the page cache) and its duration. */
async function productFile(tools: FfmpegTools, stage: string, name: string, kind: ManifestFile['kind']): Promise<ManifestFile> {
  const path = join(stage, name);
  const [h, durationMs] = await Promise.all([hashFile(path), probeDurationMs(tools.ffprobe, path)]);
  return { name, kind, bytes: h.bytes, md5: h.md5, sha256: h.sha256, durationMs };
}

function livePieces(s: SittingSummary, workDir: string): { take: number; m4a: string; mp3: string }[] | undefined {
  const takes = [...new Set(s.takes.map((t) => t.take))].sort((a, b) => a - b);
  const pieces = takes.map((take) => {
    const t = String(take).padStart(2, '0');
    return { take, m4a: join(workDir, `mix.t${t}.m4a`), mp3: join(workDir, `mix.t${t}.mp3`) };
  });
  return pieces.length > 0 && pieces.every((p) => existsSync(p.m4a) && existsSync(p.mp3)) ? pieces : undefined;
}

/** The live pieces together are as long as the microphones (a killed encoder leaves its piece short). */
async function coversSitting(ffprobe: string, mp3s: string[], expectedMs: number): Promise<boolean> {
  const total = (await Promise.all(mp3s.map((p) => probeDurationMs(ffprobe, p)))).reduce((a, b) => a + b, 0);
  return Math.abs(total - expectedMs) <= 500;
}

/** Read every file back and compare with the manifest: the check that the checksums taken while writing are right. */
export async function verifyFiles(dir: string, files: Pick<ManifestFile, 'name' | 'md5' | 'sha256' | 'bytes'>[]): Promise<{ ok: boolean; mismatched: string[] }> {
  const mismatched: string[] = [];
  for (const f of files) {
    try {
      const h = await hashFile(join(dir, f.name));
      if (h.md5 !== f.md5 || h.sha256 !== f.sha256 || h.bytes !== f.bytes) mismatched.push(f.name);
    } catch {
      mismatched.push(f.name);
    }
  }
  return { ok: mismatched.length === 0, mismatched };
}

const STEPS = ['microphones', 'mix', 'video', 'audio-video', 'manifest'];

/** Percent done and time left: each step an equal share, measured within it by bytes joined or media time made. */
class Progress {
  private bytes = 0;
  private within = 0;
  private index = -1;
  private readonly t0 = Date.now();
  private lastTold = 0;

  constructor(private readonly wavBytes: number, private readonly mediaMs: number, private readonly emit?: (p: FinalizeProgress) => void) {}

  step(name: string): void {
    this.index = name === 'done' ? STEPS.length : Math.max(this.index, STEPS.indexOf(name));
    this.within = 0;
    this.tell(true);
  }

  add(bytes: number): void {
    this.bytes += bytes;
    this.within = Math.min(1, this.bytes / Math.max(1, this.wavBytes));
    this.tell(false);
  }

  media(ms: number): void {
    this.within = Math.min(1, ms / Math.max(1, this.mediaMs));
    this.tell(false);
  }

  private tell(force: boolean): void {
    const now = Date.now();
    if (!this.emit || (!force && now - this.lastTold < 250)) return;
    this.lastTold = now;
    const percent = Math.min(100, Math.round(((this.index + this.within) / STEPS.length) * 100));
    const elapsed = now - this.t0;
    this.emit({ step: STEPS[this.index] ?? 'done', percent, etaMs: percent > 0 && percent < 100 ? Math.round((elapsed * (100 - percent)) / percent) : undefined });
  }
}
