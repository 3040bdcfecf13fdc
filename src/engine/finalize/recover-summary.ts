import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashWav } from '../../capture/audio/hash-file.js';
import { z } from 'zod';
import { repairWav } from '../../capture/audio/wav-recovery.js';
import { AbkError, appError } from '../../shared/result.js';
import { INTERRUPTION_CAUSES, type InterruptionCause } from '../../shared/sitting.js';
import type { SittingSummary, TakeRecord } from '../recorder/recorder-types.js';
import { segmentStartFrame } from '../recorder/segment-place.js';
import { HealthLog } from '../recorder/health-log.js';

/** `sitting.start.json`, written when a sitting first starts (sitting-recorder.ts): read back through this schema. */
const startFileSchema = z.object({
  caseNumber: z.string(),
  base: z.string().min(1),
  sampleRate: z.number().int().positive(),
  bitDepth: z.union([z.literal(16), z.literal(24)]),
  devices: z.array(z.object({
    key: z.string(), name: z.string(), hostApi: z.string().optional(), channelCount: z.number().int().positive(),
    tracks: z.array(z.object({ deviceChannel: z.number().int().min(0), stem: z.string().min(1), trackName: z.string() })),
  })),
  startedWallMs: z.number(),
  unwatched: z.array(z.string()).optional(),
  chainChunkBytes: z.number().int().positive().optional(),
});

/** The events log, line by line; a line torn by the crash is skipped. */
function readEvents(dir: string): Record<string, unknown>[] {
  const path = join(dir, 'events.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Rebuilds what `sitting.json` would have said, for a sitting whose engine
 * died before writing it: the plan written at start, the takes, pauses, gaps
 * and camera starts from the events log, and every WAV segment on disk,
 * repaired and hashed. A segment's place in its take comes from its own
 * Broadcast WAV time reference.
 */
export async function recoverSummary(dir: string): Promise<SittingSummary> {
  const startPath = join(dir, 'sitting.start.json');
  if (!existsSync(startPath)) {
    throw new AbkError(appError('sitting-unrecoverable', `${dir} holds no record of how its sitting was started, so its files cannot be placed; they are untouched.`,
      `В ${dir} нет сведений о начале заседания, файлы нельзя разместить; они не тронуты.`, `${dir} ішінде отырыс басталуы туралы мәлімет жоқ, файлдарды орналастыру мүмкін емес; олар қозғалмады.`));
  }
  let json: unknown;
  let why: string | undefined;
  try {
    json = JSON.parse(readFileSync(startPath, 'utf8'));
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  const parsed = why === undefined ? startFileSchema.safeParse(json) : undefined;
  if (!parsed?.success) {
    why ??= parsed!.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ');
    throw new AbkError(appError('sitting-unrecoverable', `${startPath} is damaged (${why}), so the sitting's files cannot be placed; they are untouched.`,
      `${startPath} повреждён (${why}), файлы заседания нельзя разместить; они не тронуты.`, `${startPath} зақымдалған (${why}), отырыс файлдарын орналастыру мүмкін емес; олар қозғалмады.`));
  }
  const start = parsed.data;
  const events = readEvents(dir);
  const rate = start.sampleRate;
  const takes: TakeRecord[] = events.filter((e) => e.type === 'take').map((e) => ({
    device: e.device as string, take: e.take as number, firstSampleWallMs: e.firstSampleWallMs as number, startSample: e.startSample as number, frames: 0,
  }));
  const zeroWallMs = takes.length > 0 ? Math.min(...takes.map((t) => t.firstSampleWallMs)) : start.startedWallMs;
  const audioSegments: SittingSummary['audioSegments'] = [];
  const files = readdirSync(dir);
  for (const plan of start.devices) {
    for (const track of plan.tracks) {
      for (const file of files.filter((f) => f.startsWith(`${track.stem}.t`) && f.endsWith('.wav')).sort()) {
        const m = /\.t(\d+)\.s(\d+)\.wav$/.exec(file);
        const take = takes.find((t) => t.device === plan.key && t.take === Number(m?.[1]));
        if (!m || !take) continue;
        const path = join(dir, file);
        const { frames, bytes } = repairWav(path, start.bitDepth);
        const startFrame = segmentStartFrame(path, take.firstSampleWallMs, rate, 0);
        const h = await hashWav(path, { chunkBytes: start.chainChunkBytes, whole: true });
        audioSegments.push({ file, frames, bytes, md5: h.md5, sha256: h.sha256, dataSha256: h.dataSha256, ...(start.chainChunkBytes ? { chunkBytes: start.chainChunkBytes } : {}), hashedBy: 'reread', device: plan.key, stem: track.stem, take: take.take, index: Number(m[2]), startFrame });
        take.frames = Math.max(take.frames, startFrame + frames);
      }
    }
  }
  const pauses: SittingSummary['pauses'] = [];
  for (const e of events) {
    if (e.type === 'pause') pauses.push({ fromSample: e.fromSample as number });
    if (e.type === 'resume' && pauses.length > 0) pauses[pauses.length - 1]!.toSample = e.toSample as number;
  }
  const videoSegments: SittingSummary['videoSegments'] = events.filter((e) => e.type === 'video-segment').flatMap((e) => {
    const file = `${e.camera as string}.s${String(e.index).padStart(3, '0')}.mp4`;
    return existsSync(join(dir, file)) ? [{
      camera: e.camera as string, index: e.index as number, file, codec: 'copy' as const, firstFrameWallMs: e.firstFrameWallMs as number,
      frames: 0, durationMs: 0, end: 'lost' as const, offsetMs: Math.round((e.firstFrameWallMs as number) - zeroWallMs),
    }] : [];
  });
  const lastWall = events.reduce((m, e) => Math.max(m, typeof e.wallMs === 'number' ? e.wallMs : 0), zeroWallMs);
  return {
    version: 1, caseNumber: start.caseNumber, base: start.base, dir, sampleRate: rate, bitDepth: start.bitDepth,
    zeroWallMs, stoppedWallMs: lastWall, devices: start.devices, takes, audioSegments, videoSegments, pauses,
    gaps: events.filter((e) => e.type === 'gap').map((e) => ({
      device: e.device as string, fromSample: e.fromSample as number, toSample: e.toSample as number,
      ...(INTERRUPTION_CAUSES.includes(e.cause as InterruptionCause) ? { cause: e.cause as InterruptionCause } : {}),
    })),
    problems: events.filter((e) => e.type === 'problem').map((e) => ({
      wallMs: e.wallMs as number, source: e.source as SittingSummary['problems'][number]['source'], subject: e.subject as string, code: (e.error as { code: string }).code,
    })),
    xruns: { overflows: 0, underflows: 0 },
    health: { findings: HealthLog.fromEvents(events), unwatched: start.unwatched ?? [], selfTest: null },
  };
}
