import { closeSync, openSync, readSync } from 'node:fs';
import { bextTimeReference } from '../../capture/audio/wav-header.js';
import { samplesSinceAlmatyMidnight } from '../../shared/timeline.js';

/** The BWF TimeReference of a WAV segment on disk. */
function timeReferenceOf(path: string): number | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    return bextTimeReference(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
  } finally {
    closeSync(fd);
  }
}

/**
 * Where a segment starts in its take (frames from the take's first sample),
 * from its own Broadcast WAV time reference. Not from its index: a pause
 * closes a segment early and the next one starts where the resume came.
 * `fallback` is used for a file whose header holds no time reference.
 */
export function segmentStartFrame(path: string, takeFirstSampleWallMs: number, sampleRate: number, fallback: number): number {
  const ref = timeReferenceOf(path);
  if (ref === undefined) return fallback;
  const day = 86_400 * sampleRate;
  return (((ref - samplesSinceAlmatyMidnight(takeFirstSampleWallMs, sampleRate)) % day) + day) % day;
}
