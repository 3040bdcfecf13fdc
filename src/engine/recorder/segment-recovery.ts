import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hashWav } from '../../capture/audio/hash-file.js';
import type { DevicePlan, SegmentRecord } from '../../capture/audio/protocol.js';
import { repairWav } from '../../capture/audio/wav-recovery.js';
import { segmentStartFrame } from './segment-place.js';

/**
 * After a capture process died, finds the segments of its take that it never
 * reported, repairs them, and returns how far each device got (frames) at once;
 * their chain digests follow in `records` (read in the background: one file a
 * microphone may by then hold hours).
 */
export function recoverTake(
  dir: string, take: number, plans: DevicePlan[], known: SegmentRecord[], audio: { bitDepth: 16 | 24; sampleRate: number; segmentFrames: number; chunkBytes: number },
  /** When each device's take began (its first sample): a segment's place comes from its own time reference against it. */
  firstSampleWallMs: Map<string, number>,
): { framesByDevice: Map<string, number>; records: Promise<SegmentRecord[]> } {
  const files = readdirSync(dir);
  const tag = `.t${String(take).padStart(2, '0')}.s`;
  const framesByDevice = new Map<string, number>();
  const pending: Promise<SegmentRecord>[] = [];
  for (const plan of plans) {
    for (const track of plan.tracks) {
      let trackFrames = 0;
      for (const file of files.filter((f) => f.startsWith(`${track.stem}${tag}`) && f.endsWith('.wav')).sort()) {
        const index = Number(file.slice(track.stem.length + tag.length, -'.wav'.length));
        const done = known.find((k) => k.device === plan.key && k.stem === track.stem && k.take === take && k.index === index);
        if (done) { trackFrames = Math.max(trackFrames, done.startFrame + done.frames); continue; }
        const path = join(dir, file);
        const first = firstSampleWallMs.get(plan.key);
        const byIndex = (index - 1) * audio.segmentFrames;
        const startFrame = first === undefined ? byIndex : segmentStartFrame(path, first, audio.sampleRate, byIndex);
        const { frames, bytes } = repairWav(path, audio.bitDepth);
        trackFrames = Math.max(trackFrames, startFrame + frames);
        // only the chain's digest: the file's own MD5 and SHA-256 are taken by finalize, if it becomes a package's file as it is
        pending.push(hashWav(path, { chunkBytes: audio.chunkBytes }).then((h) => ({
          path, frames, bytes, md5: undefined, sha256: undefined, dataSha256: h.dataSha256, chunkBytes: audio.chunkBytes, hashedBy: 'none' as const,
          device: plan.key, stem: track.stem, take, index, startFrame, recovered: true as const,
        })));
      }
      // Tracks of a device were written together; the shortest is what all of them hold.
      const prev = framesByDevice.get(plan.key);
      framesByDevice.set(plan.key, prev === undefined ? trackFrames : Math.min(prev, trackFrames));
    }
  }
  return { framesByDevice, records: Promise.all(pending) };
}
