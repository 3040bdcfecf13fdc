import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashWav } from '../../capture/audio/hash-file.js';
import { z } from 'zod';
import { repairWav } from '../../capture/audio/wav-recovery.js';
import { AbkError, appError } from '../../shared/result.js';
import { INTERRUPTION_CAUSES, type InterruptionCause } from '../../shared/sitting.js';
import { PROBLEM_SOURCES, type SittingSummary, type TakeRecord } from '../recorder/recorder-types.js';
import { formatIssues, parseJsonWith } from '../../shared/validation.js';
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

const count = z.number().int().min(0);
/** The events of the log recovery uses, each read through its schema (the log holds others too: state, chunk, levels…). */
const eventSchemas = {
  take: z.object({ device: z.string(), take: count, firstSampleWallMs: z.number(), startSample: count }),
  pause: z.object({ fromSample: count }),
  resume: z.object({ toSample: count }),
  'video-segment': z.object({ camera: z.string().min(1), index: count, firstFrameWallMs: z.number() }),
  gap: z.object({ device: z.string(), fromSample: count, toSample: count, cause: z.string().optional() }),
  problem: z.object({ wallMs: z.number(), source: z.enum(PROBLEM_SOURCES), subject: z.string(), error: z.object({ code: z.string() }) }),
};
type Known = keyof typeof eventSchemas;
type EventOf<K extends Known> = z.infer<(typeof eventSchemas)[K]>;

/**
 * The events log, line by line. The last line may be torn by the crash and
 * is skipped; any other line that is not an event, and a known event that
 * does not read as one, is skipped and said on the engine's log by `report`
 * (what it would have placed is then missing from the rebuild).
 */
class EventsRead {
  readonly all: Record<string, unknown>[] = [];
  private readonly unreadable: string[] = [];

  constructor(readonly path: string) {
    if (!existsSync(path)) return;
    const lines = readFileSync(path, 'utf8').split('\n');
    const last = lines.findLastIndex((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        if (i !== last) this.unreadable.push(`line ${i + 1} is not JSON`); // the last one torn by the crash is expected
        return;
      }
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) this.all.push(raw as Record<string, unknown>);
      else this.unreadable.push(`line ${i + 1} is not an event`);
    });
  }

  /** `e` read as a `type` event, or undefined when it is not one (counted when it claims to be). */
  read<K extends Known>(type: K, e: Record<string, unknown>): EventOf<K> | undefined {
    if (e.type !== type) return undefined;
    const r = eventSchemas[type].safeParse(e);
    if (r.success) return r.data as EventOf<K>;
    this.unreadable.push(`a "${type}" event (${formatIssues(r.error, '; ')})`);
    return undefined;
  }

  of<K extends Known>(type: K): EventOf<K>[] {
    return this.all.flatMap((e) => { const v = this.read(type, e); return v ? [v] : []; });
  }

  report(): void {
    if (this.unreadable.length > 0) process.stderr.write(`recovery: ${this.path}: ${this.unreadable.length} line(s) skipped: ${this.unreadable.slice(0, 5).join(', ')}\n`);
  }
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
  const parsed = parseJsonWith(readFileSync(startPath, 'utf8'), startFileSchema, 'file');
  if (!parsed.ok) {
    const why = parsed.error;
    throw new AbkError(appError('sitting-unrecoverable', `${startPath} is damaged (${why}), so the sitting's files cannot be placed; they are untouched.`,
      `${startPath} повреждён (${why}), файлы заседания нельзя разместить; они не тронуты.`, `${startPath} зақымдалған (${why}), отырыс файлдарын орналастыру мүмкін емес; олар қозғалмады.`));
  }
  const start = parsed.value;
  const events = new EventsRead(join(dir, 'events.jsonl'));
  const rate = start.sampleRate;
  const takes: TakeRecord[] = events.of('take').map((e) => ({ device: e.device, take: e.take, firstSampleWallMs: e.firstSampleWallMs, startSample: e.startSample, frames: 0 }));
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
  for (const e of events.all) {
    const pause = events.read('pause', e);
    if (pause) pauses.push({ fromSample: pause.fromSample });
    const resume = events.read('resume', e);
    if (resume && pauses.length > 0) pauses[pauses.length - 1]!.toSample = resume.toSample;
  }
  const videoSegments: SittingSummary['videoSegments'] = events.of('video-segment').flatMap((e) => {
    const file = `${e.camera}.s${String(e.index).padStart(3, '0')}.mp4`;
    return existsSync(join(dir, file)) ? [{
      camera: e.camera, index: e.index, file, codec: 'copy' as const, firstFrameWallMs: e.firstFrameWallMs,
      frames: 0, durationMs: 0, end: 'lost' as const, offsetMs: Math.round(e.firstFrameWallMs - zeroWallMs),
    }] : [];
  });
  const lastWall = events.all.reduce((m, e) => Math.max(m, typeof e.wallMs === 'number' ? e.wallMs : 0), zeroWallMs);
  const gaps = events.of('gap');
  const problems = events.of('problem');
  events.report();
  return {
    version: 1, caseNumber: start.caseNumber, base: start.base, dir, sampleRate: rate, bitDepth: start.bitDepth,
    zeroWallMs, stoppedWallMs: lastWall, devices: start.devices, takes, audioSegments, videoSegments, pauses,
    gaps: gaps.map((e) => ({
      device: e.device, fromSample: e.fromSample, toSample: e.toSample,
      ...(INTERRUPTION_CAUSES.includes(e.cause as InterruptionCause) ? { cause: e.cause as InterruptionCause } : {}),
    })),
    problems: problems.map((e) => ({ wallMs: e.wallMs, source: e.source, subject: e.subject, code: e.error.code })),
    xruns: { overflows: 0, underflows: 0 },
    health: { findings: HealthLog.fromEvents(events.all), unwatched: start.unwatched ?? [], selfTest: null },
  };
}
