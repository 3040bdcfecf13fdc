import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { muxAudioVideo } from '../../src/engine/finalize/media-steps.js';
import { buildManifest } from '../../src/engine/finalize/build-manifest.js';
import { audioClockPpm } from '../../src/engine/finalize/media-timeline.js';
import type { SittingSummary } from '../../src/engine/recorder/recorder-types.js';
import { beepOnsets, flashTimes } from '../helpers/sync.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-drift-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A sound card 1000 ppm fast against the clock that stamps the video: what
 * happened at 10 s of the system clock is at 10.01 s of the audio. Video: a
 * white frame every 10 s of its time; audio: a beep every 10.01 s of its own
 * (the same instants on the card's clock), as the live mix's fragmented-MP4 AAC.
 */
const video = join(dir, 'video.mp4');
const audio = join(dir, 'mix.m4a');
execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', "color=c=0x202020:size=320x240:rate=25,drawbox=c=white:t=fill:enable='lt(mod(t,10),1)'",
  '-t', '121', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', video]);
execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', "aevalsrc='if(gte(t,1)*lt(mod(t,10.01),0.2),0.5*sin(2*PI*1000*t),0)':s=48000:d=121",
  '-c:a', 'aac', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', audio]);

/** Beep minus its flash in the A/V file, for each beep (ms). */
function offsets(av: string): number[] {
  const flashes = flashTimes(av);
  return beepOnsets(av).map((b) => (b - flashes.reduce((best, f) => (Math.abs(f - b) < Math.abs(best - b) ? f : best), Infinity)) * 1000);
}

describe('the A/V file over a sound card whose clock drifts', () => {
  it('scales the video to the card\'s measured clock: the last beep is on its flash as the first is; unscaled it drifts 120 ms in two minutes', async () => {
    const fixed = join(dir, 'av.mp4');
    await muxAudioVideo('ffmpeg', 48000, 0, video, { path: audio, concat: false }, fixed, () => undefined, 1000);
    const o = offsets(fixed);
    expect(o).toHaveLength(12);
    expect(Math.abs(o.at(-1)! - o[0]!)).toBeLessThan(10);
    expect(Math.abs(o[0]!)).toBeLessThanOrEqual(40);
    // the positive control: the same files muxed as if the card were on time
    const plain = join(dir, 'av-plain.mp4');
    await muxAudioVideo('ffmpeg', 48000, 0, video, { path: audio, concat: false }, plain, () => undefined);
    const p = offsets(plain);
    expect(p.at(-1)! - p[0]!).toBeGreaterThan(100);
    expect(p.at(-1)! - p[0]!).toBeLessThan(125);
  }, 120_000);

  it('takes the master device\'s clock over its takes, weighted by their length; none measured is 0', () => {
    const devices = [{ key: 'dev1', name: 'a', channelCount: 2, tracks: [] }, { key: 'dev2', name: 'b', channelCount: 2, tracks: [] }];
    const take = (device: string, frames: number, clockPpm?: number) => ({ device, take: 1, firstSampleWallMs: 0, startSample: 0, frames, ...(clockPpm !== undefined ? { clockPpm } : {}) });
    expect(audioClockPpm({ devices, takes: [take('dev1', 3000, 40), take('dev1', 1000, 80), take('dev1', 5000), take('dev2', 9000, -300)] })).toBe(50);
    expect(audioClockPpm({ devices, takes: [take('dev1', 3000), take('dev2', 9000, -300)] })).toBe(0);
  });

  it('places a mark on the card\'s samples: pressed an hour into a take of a card 100 ppm fast, it is 0.36 s further on in the files', () => {
    const RATE = 48000;
    const summary = (clockPpm: number | undefined, secondTake = false): SittingSummary => ({
      version: 1, caseNumber: '7599-24-00-2/1', base: 'b', dir: '/x', sampleRate: RATE, bitDepth: 16, zeroWallMs: 0, stoppedWallMs: 9e6,
      devices: [{ key: 'dev1', name: 'a', channelCount: 1, tracks: [] }],
      takes: [{ device: 'dev1', take: 1, firstSampleWallMs: 0, startSample: 0, frames: 4000 * RATE, ...(clockPpm !== undefined ? { clockPpm } : {}) },
        ...(secondTake ? [{ device: 'dev1', take: 2, firstSampleWallMs: 5e6, startSample: 5000 * RATE, frames: 10 * RATE }] : [])],
      audioSegments: [], videoSegments: [], pauses: [], gaps: [], problems: [], xruns: { overflows: 0, underflows: 0 },
    });
    // key presses as positionAt places them: 3600 s (and, in a second take too short to measure, 5 s into it) at the nominal rate
    const marks = [3600 * RATE, 5005 * RATE].map((atSample, i) => ({ id: i + 1, kind: 'floor' as const, atSample, wallMs: atSample / 48, createdMs: 0 }));
    const at = (s: SittingSummary): number[] => buildManifest(s, [], undefined, marks, { audit: null, chain: null }).marks.map((m) => m.timelineMs);
    expect(at(summary(100, true))).toEqual([3_600_360, 5_005_001]); // the short take has the sitting's clock: 5 s × 100 ppm = 0.5 ms
    expect(at(summary(-50))).toEqual([3_599_820, 5_004_750]);
    // the positive control: a card on time, or one not measured, leaves them where they were pressed
    expect(at(summary(undefined))).toEqual([3_600_000, 5_005_000]);
  });
});
