import { counterPeriod, counterSample } from '../../src/capture/virtual-courtroom/test-signal.js';

export interface CounterMatch {
  /** index in the recording of the first signal sample */
  offset: number;
  /** the source frame found there (PulseAudio skips the first few ms of a playback) */
  firstFrame: number;
  /** source frames that matched exactly, in order, from `firstFrame` */
  matched: number;
  /** first mismatch (recording index), if any before the recording or the source ended */
  mismatchAt?: number;
}

/** The source frame a counter sample names (modulo the counter period). */
export function counterFrame(sample: number, bitDepth: 16 | 24): number {
  const full = bitDepth === 16 ? 1 << 16 : 1 << 24;
  const raw = sample < 0 ? sample + full : sample;
  return (raw >> 4) - 1;
}

/**
 * Compares a recorded track with channel `channel` of the counter signal. The
 * recording must hold consecutive source frames exactly, from the frame where
 * playback became audible to the end of the source, with nothing dropped,
 * repeated or taken from another channel. Exact comparison, no tolerance; the
 * only allowance is where the run starts, which the counter itself tells.
 */
export function matchCounter(track: Int32Array, channel: number, bitDepth: 16 | 24, sourceFrames: number): CounterMatch {
  const offset = track.findIndex((v) => v !== 0);
  if (offset < 0) return { offset: -1, firstFrame: -1, matched: 0 };
  const firstFrame = counterFrame(track[offset]!, bitDepth);
  if (firstFrame < 0 || firstFrame >= counterPeriod(bitDepth)) return { offset, firstFrame, matched: 0, mismatchAt: offset };
  let n = firstFrame;
  for (; n < sourceFrames && offset + n - firstFrame < track.length; n++) {
    const at = offset + n - firstFrame;
    if (track[at] !== counterSample(n, channel, bitDepth)) return { offset, firstFrame, matched: n - firstFrame, mismatchAt: at };
  }
  return { offset, firstFrame, matched: n - firstFrame };
}

/** A stretch of a recorded track that holds consecutive counter frames exactly. */
export interface CounterRun { at: number; frame: number; length: number }

/**
 * The exact runs of counter frames in a track, silence (zeros) between them
 * skipped: a recording with a gap is two runs; a corrupted, dropped or
 * repeated sample starts a new run, so a clean recording has few, long runs.
 */
export function counterRuns(track: Int32Array, channel: number, bitDepth: 16 | 24): CounterRun[] {
  const runs: CounterRun[] = [];
  let i = 0;
  while (i < track.length) {
    if (track[i] === 0) { i++; continue; }
    const frame = counterFrame(track[i]!, bitDepth);
    const at = i;
    while (i < track.length && track[i] === counterSample(frame + (i - at), channel, bitDepth)) i++;
    if (i === at) i++; // a sample that is no counter value at all: a run of its own
    runs.push({ at, frame, length: Math.max(1, i - at) });
  }
  return runs;
}
