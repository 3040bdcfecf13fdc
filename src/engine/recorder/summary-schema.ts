import { z } from 'zod';
import { findingSchema, selfTestSchema } from '../../shared/health.js';
import { GAP_CAUSES } from '../../shared/sitting.js';
import { PROBLEM_SOURCES } from './recorder-types.js';

const int = z.number().int();
const count = int.min(0);
const hex = (n: number): z.ZodString => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));

const devicePlanSchema = z.object({
  key: z.string(), name: z.string(), hostApi: z.string().optional(), channelCount: int.positive(),
  tracks: z.array(z.object({ deviceChannel: count, stem: z.string().min(1), trackName: z.string() })),
});

/**
 * `sitting.json`, the summary Stop writes, read back through this schema
 * before finalize trusts it: a file damaged on disk is refused, naming the
 * field, and the sitting is rebuilt from its segments instead.
 */
export const sittingSummarySchema = z.object({
  version: z.literal(1),
  caseNumber: z.string(),
  base: z.string().min(1),
  dir: z.string().min(1),
  sampleRate: int.positive(),
  bitDepth: z.union([z.literal(16), z.literal(24)]),
  zeroWallMs: z.number(),
  stoppedWallMs: z.number(),
  devices: z.array(devicePlanSchema),
  takes: z.array(z.object({ device: z.string(), take: count, firstSampleWallMs: z.number(), startSample: count, frames: count, clockPpm: z.number().optional() })),
  audioSegments: z.array(z.object({
    file: z.string().min(1), frames: count, bytes: count,
    md5: hex(32).optional(), sha256: hex(64).optional(), hashedBy: z.enum(['stream', 'reread', 'none']),
    dataSha256: hex(64), chunkBytes: int.positive().optional(),
    device: z.string(), stem: z.string().min(1), take: count, index: count, startFrame: count, recovered: z.literal(true).optional(),
  }).transform((s) => ({ ...s, md5: s.md5, sha256: s.sha256 }))), // JSON drops an undefined digest; the type keeps its key
  videoSegments: z.array(z.object({
    camera: z.string(), index: count, file: z.string().min(1), codec: z.enum(['copy', 'libx264', 'mpeg4']),
    firstFrameWallMs: z.number(), frames: count, durationMs: z.number().min(0), end: z.enum(['stopped', 'paused', 'lost']), offsetMs: z.number(),
  })),
  pauses: z.array(z.object({ fromSample: count, toSample: count.optional() })),
  gaps: z.array(z.object({ device: z.string(), fromSample: count, toSample: count, cause: z.enum(GAP_CAUSES).optional() })),
  problems: z.array(z.object({ wallMs: z.number(), source: z.enum(PROBLEM_SOURCES), subject: z.string(), code: z.string() })),
  xruns: z.object({ overflows: count, underflows: count }),
  health: z.object({ findings: z.array(findingSchema), unwatched: z.array(z.string()), selfTest: selfTestSchema.nullable() }).optional(),
});

