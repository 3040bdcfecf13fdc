import type { SittingSummary } from '../recorder/recorder-types.js';

/**
 * The finalized files hold what was recorded, without the breaks: a pause
 * stops every microphone and camera, so "media time" is the sitting's
 * timeline with the paused spans taken out. Gaps (a capture restart) stay in,
 * as silence, so what follows keeps its place beside the video.
 */
export interface Span { fromSample: number; toSample: number }

export function closedPauses(s: Pick<SittingSummary, 'pauses' | 'takes' | 'devices'>): Span[] {
  const end = s.takes.reduce((m, t) => Math.max(m, t.startSample + t.frames), 0);
  return s.pauses.map((p) => ({ fromSample: p.fromSample, toSample: p.toSample ?? end })).sort((a, b) => a.fromSample - b.fromSample);
}

/** Timeline sample → media sample: minus every paused sample before it. */
export function toMedia(pauses: Span[], sample: number): number {
  let removed = 0;
  for (const p of pauses) {
    if (sample <= p.fromSample) break;
    removed += Math.min(sample, p.toSample) - p.fromSample;
  }
  return sample - removed;
}

/** Where each part of one microphone goes in its joined file: segments, and silence for gaps. */
export type WavPart = { kind: 'file'; file: string; frames: number; bytes: number; md5: string | undefined; sha256: string | undefined; hashedBy: string } | { kind: 'silence'; frames: number };

export function micParts(s: SittingSummary, stem: string): WavPart[] {
  const pauses = closedPauses(s);
  const segs = s.audioSegments.filter((a) => a.stem === stem).sort((a, b) => a.take - b.take || a.index - b.index);
  const parts: WavPart[] = [];
  let at = 0; // media frames written so far
  for (const seg of segs) {
    const take = s.takes.find((t) => t.device === seg.device && t.take === seg.take);
    if (!take || seg.frames === 0) continue;
    const start = toMedia(pauses, take.startSample + seg.startFrame);
    // A restart's gap (or a second device starting a moment later) is silence; a few
    // samples of overlap from clock rounding are not worth cutting a file for.
    if (start > at) parts.push({ kind: 'silence', frames: start - at });
    parts.push({ kind: 'file', file: seg.file, frames: seg.frames, bytes: seg.bytes, md5: seg.md5, sha256: seg.sha256, hashedBy: seg.hashedBy });
    at = Math.max(at, start) + seg.frames;
  }
  return parts;
}

/** The media length of the sitting in samples: the longest microphone. */
export function mediaFrames(s: SittingSummary): number {
  const stems = [...new Set(s.audioSegments.map((a) => a.stem))];
  return Math.max(0, ...stems.map((stem) => micParts(s, stem).reduce((n, p) => n + p.frames, 0)));
}

/**
 * The microphones' clock against the system clock that stamps the video
 * (ppm; positive: the sound card runs fast), over the master device's takes
 * that measured it, weighted by their length; 0 when none did (a sitting
 * shorter than the clock guard's `driftAfterSeconds`).
 */
export function audioClockPpm(s: Pick<SittingSummary, 'takes' | 'devices'>): number {
  const measured = s.takes.filter((t) => t.device === s.devices[0]?.key && t.clockPpm !== undefined && t.frames > 0);
  const frames = measured.reduce((n, t) => n + t.frames, 0);
  return frames === 0 ? 0 : measured.reduce((n, t) => n + t.clockPpm! * t.frames, 0) / frames;
}

/** A video segment's start in media milliseconds (negative: the camera started before the first sample). */
export function videoStartMs(s: SittingSummary, offsetMs: number): number {
  const sample = Math.round((offsetMs * s.sampleRate) / 1000);
  if (sample <= 0) return offsetMs;
  return (toMedia(closedPauses(s), sample) * 1000) / s.sampleRate;
}

/**
 * One microphone's parts cut into files that each stay within `maxFrames`
 * (a standard WAV cannot pass 4 GiB): at segment boundaries, and anywhere in
 * silence. A single segment longer than the limit (never so with the
 * configured limits: it must hold a segment) keeps a file of its own.
 */
export function splitAtLimit(parts: WavPart[], maxFrames: number): WavPart[][] {
  const files: WavPart[][] = [[]];
  let used = 0;
  const next = (): void => { files.push([]); used = 0; };
  for (const part of parts) {
    if (part.kind === 'silence') {
      for (let left = part.frames; left > 0;) {
        if (used >= maxFrames) next();
        const n = Math.min(left, maxFrames - used);
        files.at(-1)!.push({ kind: 'silence', frames: n });
        used += n;
        left -= n;
      }
      continue;
    }
    if (used > 0 && used + part.frames > maxFrames) next();
    files.at(-1)!.push(part);
    used += part.frames;
  }
  return files.filter((f) => f.length > 0);
}

/**
 * Key presses' places, moved onto the sound card's own samples. A mark is
 * placed when it is made by the system clock (positionAt: its take's start
 * plus the time since, at the nominal rate), while the files count the card's
 * samples: a card 50 ppm fast has recorded 0.72 s more than nominal four hours
 * into a take, and a mark left there would open the player that much early.
 * Each take's own measured clock is used, else the sitting's (a short take).
 */
export function onCardClock(s: Pick<SittingSummary, 'takes' | 'devices'>): (atSample: number) => number {
  const sitting = audioClockPpm(s);
  const takes = s.takes.filter((t) => t.device === s.devices[0]?.key).sort((a, b) => b.startSample - a.startSample);
  return (atSample) => {
    const take = takes.find((t) => t.startSample <= atSample);
    if (!take) return atSample;
    return take.startSample + Math.round((atSample - take.startSample) * (1 + (take.clockPpm ?? sitting) / 1e6));
  };
}
