import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterSample } from '../../src/capture/virtual-courtroom/test-signal.js';
import { TestCourtroom, trackFiles } from '../helpers/courtroom.js';
import { counterFrame } from '../helpers/counter-check.js';
import { ffprobe } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';

/**
 * A break ("перерыв"): pause closes the segments, resume opens new ones, and the
 * audio clock keeps counting in between, so the timeline stays sample-exact.
 */
const court = new TestCourtroom();
afterAll(() => court.close());

describe('pause and resume', () => {
  it('make new segments placed on the timeline to the sample', async () => {
    const sink = await court.sink(4, 24);
    const src = court.counter(sink, 12);
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'test' }));
    await rec.start();
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 3000));
    await rec.pause();
    expect(rec.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 2500));
    await rec.resume();
    await playing.done;
    const summary = await rec.stop();

    expect(summary.problems).toEqual([]);
    expect(summary.pauses).toHaveLength(1);
    const pause = summary.pauses[0]!;
    expect(((pause.toSample! - pause.fromSample) * 1000) / 48000).toBeGreaterThan(2000);

    for (const [c, t] of summary.devices[0]!.tracks.entries()) {
      const segs = summary.audioSegments.filter((s) => s.stem === t.stem).sort((a, b) => a.index - b.index);
      expect(segs.map((s) => s.index)).toEqual([1, 2]);
      const [a, b] = trackFiles(summary, t.stem).map((f) => readWav(f).samples);
      // Same device, same clock: the source frames between the two segments'
      // first samples equal the distance between their places on the timeline.
      const firstA = a!.findIndex((v) => v !== 0);
      const frameA = counterFrame(a![firstA]!, 24);
      const frameB = counterFrame(b![0]!, 24);
      expect(frameB - frameA).toBe(segs[1]!.startFrame - (segs[0]!.startFrame + firstA));
      // and each segment is a run of consecutive source frames
      for (const [samples, from, first] of [[a!, firstA, frameA], [b!, 0, frameB]] as const) {
        const end = samples.findLastIndex((v) => v !== 0);
        for (let i = from; i <= end; i += 997) expect(samples[i]).toBe(counterSample(first + i - from, c, 24));
      }
      // the break itself is not recorded
      expect(segs[1]!.startFrame - (segs[0]!.startFrame + segs[0]!.frames)).toBeGreaterThan(2 * 48000);
    }
    expect(summary.videoSegments.map((v) => v.end)).toEqual(['paused', 'stopped']);
    for (const v of summary.videoSegments) expect(Number(ffprobe(join(summary.dir, v.file)).format.duration)).toBeGreaterThan(2);
  });
});
