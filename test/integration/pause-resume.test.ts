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

  it('recovery placement after a pause and then a crash in the same take is sample-exact (regression)', async () => {
    // the shortest segments (10 s), so the segment cut early by the pause and the one after it are both in the take that dies
    const sink = await court.sink(2, 24);
    const src = court.counter(sink, 20); // shorter than the 24-bit counter's period (21.8 s)
    const rec = court.recorder(court.room.config(join(court.dir, 'pause-crash'), sink, { camera: 'none', segmentSeconds: 10 }));
    await rec.start();
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 12_000)); // segment 1 is full, segment 2 part-way
    await rec.pause(); // closes segment 2 early
    await new Promise((r) => setTimeout(r, 1300));
    await rec.resume(); // segment 3 starts where the resume came, not at 2 × 10 s
    await new Promise((r) => setTimeout(r, 1800));
    process.kill(rec.audioCapturePid!, 'SIGKILL'); // segment 3 is never reported: recovery places it
    await new Promise((r) => setTimeout(r, 2500));
    playing.stop();
    const summary = await rec.stop();
    const take1 = summary.audioSegments.filter((a) => a.take === 1 && a.stem === summary.devices[0]!.tracks[0]!.stem).sort((a, b) => a.index - b.index);
    expect(take1.length).toBeGreaterThanOrEqual(3);
    expect(take1.some((a) => a.recovered === true)).toBe(true);
    for (const [c, t] of summary.devices[0]!.tracks.entries()) {
      const segs = summary.audioSegments.filter((a) => a.take === 1 && a.stem === t.stem).sort((a, b) => a.index - b.index);
      const files = segs.map((a) => readWav(join(summary.dir, a.file)).samples);
      const firstAt = files[0]!.findIndex((v) => v !== 0);
      const frame0 = counterFrame(files[0]![firstAt]!, 24) - firstAt; // the source frame at the take's first sample
      for (const [i, seg] of segs.entries()) {
        const samples = files[i]!;
        const at = samples.findIndex((v) => v !== 0);
        // the counter names the source frame each segment begins with: its place in the take, to the sample
        expect({ index: seg.index, startFrame: seg.startFrame }).toEqual({ index: seg.index, startFrame: counterFrame(samples[at]!, 24) - at - frame0 });
        expect(samples[samples.length - 1], `segment ${seg.index} ends on its run`).toBe(counterSample(counterFrame(samples[at]!, 24) + samples.length - 1 - at, c, 24));
      }
    }
  });
});
