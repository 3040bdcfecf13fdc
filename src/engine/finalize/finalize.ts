import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hashFile } from '../../capture/audio/hash-file.js';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { fileNames, finalFolder } from '../../shared/naming.js';
import { WAV_LIMIT_BYTES } from '../../shared/config.js';
import type { SittingFields } from '../../shared/sitting.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import type { SittingSummary } from '../recorder/recorder-types.js';
import { sittingSummarySchema } from '../recorder/summary-schema.js';
import { parseJsonWith } from '../../shared/validation.js';
import { AbkError, appError } from '../../shared/result.js';
import type { Mark } from '../sittings/sitting-store.js';
import { buildManifest, type Trail } from './build-manifest.js';
import { readManifest, type Manifest, type ManifestFile } from './manifest.js';
import { placeManifest, stampMissing } from '../package/revision.js';
import { writeVerifyGuide } from '../package/guide.js';
import { fingerprint, type SealIdentity } from '../package/seal.js';
import { joinAll, type JoinJob } from './join-pool.js';
import { mediaFrames, micParts, splitAtLimit } from './media-timeline.js';
import { makeProducts } from './products.js';
import { Progress, type FinalizeProgress } from './progress.js';

export type { FinalizeProgress } from './progress.js';


export interface FinalizeInput {
  root: string;
  workDir: string;
  summary: SittingSummary;
  fields?: SittingFields | undefined;
  marks?: Mark[] | undefined;
  tools: FfmpegTools;
  onProgress?: (p: FinalizeProgress) => void;
  /** A microphone's file is cut into parts before its data passes this (config audio.maxWavPartBytes). */
  maxWavBytes?: number;
  /** The appliance's identity: the manifest is sealed with it before the folder is put in place. */
  seal?: SealIdentity | undefined;
  /** The audit log's head and the sitting's chain now: the manifest carries them. */
  trail?: Trail;
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
  /** A TSA is configured but the seal got no timestamp: why (it is added later). */
  stampError?: string;
}

/** The summary `sitting.json` left by a recording, read through its schema; a damaged one is an error naming the field (recovery then rebuilds it from the segments). */
export function readSummary(workDir: string): SittingSummary {
  const path = join(workDir, 'sitting.json');
  const r = parseJsonWith(readFileSync(path, 'utf8'), sittingSummarySchema, 'summary');
  if (r.ok) return r.value;
  const why = r.error;
  throw new AbkError(appError('summary-damaged', `${path} is damaged (${why}); the sitting is rebuilt from its segments and events log instead.`,
    `${path} повреждён (${why}); заседание восстанавливается по его сегментам и журналу событий.`,
    `${path} зақымдалған (${why}); отырыс оның сегменттері мен оқиғалар журналынан қалпына келтіріледі.`, why));
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
  if (existsSync(join(dir, manifestName))) return finalizeAgain(dir, s.base, input.seal);
  const stage = join(workDir, 'final');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const mediaMs = (mediaFrames(s) * 1000) / s.sampleRate;
  const progress = new Progress(s.audioSegments.reduce((n, a) => n + a.bytes, 0), mediaMs, input.onProgress);

  // 1. One file per microphone, joined in separate processes while ffmpeg makes the rest.
  const mics = micJobs(s, workDir, stage, input.maxWavBytes ?? WAV_LIMIT_BYTES);
  const joined = joinAll(mics.map((m) => m.job), (b) => progress.add(b));
  const micFiles = joined.then((list) => list.map((j, i): ManifestFile => ({
    name: mics[i]!.name, kind: 'microphone', bytes: j.bytes, md5: j.md5, sha256: j.sha256,
    durationMs: Math.round((j.frames * 1000) / s.sampleRate), microphone: mics[i]!.microphone, ...(mics[i]!.part ? { part: mics[i]!.part } : {}),
  })));
  micFiles.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile

  // 2–3. The mix, the video, the audio-video file, while the joins run.
  let products: Awaited<ReturnType<typeof makeProducts>>;
  try {
    products = await makeProducts({ s, workDir, stage, tools, progress, mediaMs, micFiles: () => micFiles });
  } catch (e) {
    await joined.catch(() => undefined); // no join left writing into the staging folder
    throw e;
  }
  progress.step('microphones');
  const files = [...await micFiles, ...products.files];
  const bytesReadForHashing = (await joined).reduce((n, j) => n + j.bytesReadForHashing, 0) + products.files.reduce((n, f) => n + f.bytes, 0);

  // 4. Manifest and MD5SUMS; then everything read-only and moved into place at once.
  progress.step('manifest');
  const manifest = buildManifest(s, files, input.fields, input.marks ?? [], input.trail ?? { audit: null, chain: null });
  for (const f of files) chmodSync(join(stage, f.name), 0o444);
  const { stampError } = await placeManifest(stage, manifestName, manifest, input.seal);
  writeVerifyGuide(stage, s.base, input.seal ? await fingerprint(input.seal.certPath, input.seal.openssl) : undefined);
  mkdirSync(dirname(dir), { recursive: true });
  renameSync(stage, dir);
  progress.step('done');
  return { dir, manifestName, manifest, alreadyFinalized: false, bytesReadForHashing, liveMix: products.liveMix, verified: verifyFiles(dir, manifest.files), ...(stampError ? { stampError } : {}) };
}

/**
 * A sitting whose files are in place, finalized again (its working folder may
 * be gone): nothing changes, except that a timestamp the TSA could not give
 * before is added; the files are read back again.
 */
export async function finalizeAgain(dir: string, base: string, seal: SealIdentity | undefined): Promise<FinalizeResult> {
  const manifestName = fileNames.manifest(base);
  const manifest = readManifest(dir, manifestName);
  const stampError = seal ? await stampMissing(dir, base, seal).then(() => undefined, (e: unknown) => (e as Error).message) : undefined;
  return { dir, manifestName, manifest, alreadyFinalized: true, bytesReadForHashing: 0, liveMix: false, verified: verifyFiles(dir, manifest.files), ...(stampError ? { stampError } : {}) };
}

/** What each microphone's file is made of, and what the manifest says of it. */
function micJobs(s: SittingSummary, workDir: string, stage: string, maxWavBytes: number): { job: JoinJob; name: string; microphone: NonNullable<ManifestFile['microphone']>; part?: ManifestFile['part'] }[] {
  const out: ReturnType<typeof micJobs> = [];
  let mic = 0;
  for (const plan of s.devices) {
    for (const track of plan.tracks) {
      mic += 1;
      const parts = micParts(s, track.stem);
      if (parts.length === 0) continue;
      const first = s.takes.find((t) => t.device === plan.key) ?? s.takes[0]!;
      const microphone = { number: mic, stem: track.stem, seat: track.stem.replace(/^mic\d+_/, ''), trackName: track.trackName, device: plan.key, deviceChannel: track.deviceChannel + 1 };
      const files = splitAtLimit(parts, Math.floor(maxWavBytes / (s.bitDepth / 8)));
      let startFrames = 0;
      for (const [i, chunk] of files.entries()) {
        const name = i === 0 ? fileNames.mic(s.base, track.stem) : fileNames.micPart(s.base, track.stem, i + 1);
        const meta = {
          sampleRate: s.sampleRate, bitDepth: s.bitDepth, description: `ABK ABT ${s.base} ${track.stem}`, trackName: track.trackName,
          project: s.base, take: files.length === 1 ? 'sitting' : `part ${i + 1} of ${files.length}`,
          originationDate: almatyDate(first.firstSampleWallMs), originationTime: almatyTime(first.firstSampleWallMs), timeReference: startFrames,
        };
        out.push({
          job: { workDir, parts: chunk, meta, target: join(stage, name) }, name, microphone,
          ...(files.length > 1 ? { part: { index: i + 1, of: files.length, startMs: Math.round((startFrames * 1000) / s.sampleRate) } } : {}),
        });
        startFrames += chunk.reduce((n, p) => n + p.frames, 0);
      }
    }
  }
  return out;
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
