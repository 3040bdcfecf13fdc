import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecorderEvent } from '../../src/engine/recorder/sitting-recorder.js';
import { problemCodesOf, TestCourtroom, trackFiles } from '../helpers/courtroom.js';
import { counterFrame } from '../helpers/counter-check.js';
import { readWav } from '../helpers/wav.js';
import { counterSample } from '../../src/capture/virtual-courtroom/test-signal.js';

/**
 * A native crash of the audio capture process costs a gap of about a second,
 * logged and shown, and the recording goes on in a new take.
 */
const court = new TestCourtroom();
afterAll(() => court.close());

describe('the audio capture process hangs mid-recording', () => {
  it('is reported, killed and restarted, and the hang becomes a gap on the timeline', async () => {
    const sink = await court.sink(4, 16);
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'none' }));
    const codes = problemCodesOf(rec);
    await rec.start();
    await new Promise((r) => setTimeout(r, 2000));
    const hungPid = rec.audioCapturePid!;
    process.kill(hungPid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 9000));
    expect(rec.audioCapturePid).not.toBe(hungPid);
    const summary = await rec.stop();
    expect(codes.slice(0, 2)).toEqual(['audio-capture-hung', 'audio-capture-crashed']);
    expect(summary.takes.map((t) => t.take)).toEqual([1, 2]);
    const gapMs = ((summary.gaps[0]!.toSample - summary.gaps[0]!.fromSample) * 1000) / 48000;
    expect(gapMs).toBeGreaterThan(5000);
    expect(gapMs).toBeLessThan(9000);
    expect(summary.takes[1]!.frames / 48000).toBeGreaterThan(0.5);
  });
});

describe('the audio capture process dies mid-recording', () => {
  it('is restarted, the gap is on the timeline, and both takes are exact', async () => {
    const sink = await court.sink(4, 24);
    const src = court.counter(sink, 14);
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'none' }));
    const events: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type !== 'levels') events.push(e); });
    await rec.start();
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 4000));
    const firstPid = rec.audioCapturePid!;
    process.kill(firstPid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 5000));
    expect(rec.audioCapturePid).not.toBe(firstPid);
    expect(rec.state).toBe('recording');
    await playing.done;
    const summary = await rec.stop();

    expect(events.find((e) => e.type === 'problem')).toMatchObject({ source: 'audio', error: { code: 'audio-capture-crashed' } });
    expect(events.some((e) => e.type === 'recovered' && e.source === 'audio')).toBe(true);
    expect(summary.takes.map((t) => t.take)).toEqual([1, 2]);
    expect(summary.gaps).toHaveLength(1);
    const gap = summary.gaps[0]!;
    const gapMs = ((gap.toSample - gap.fromSample) * 1000) / 48000;
    expect(gapMs).toBeGreaterThan(0);
    expect(gapMs).toBeLessThan(3000);

    // Each take is a run of consecutive source frames (24-bit: the counter does
    // not wrap for 21 s, so it tells the source position), and the second take
    // sits on the timeline where the source says, within 50 ms (the wall-clock
    // estimate of a restarted take's first sample).
    for (const [c, track] of summary.devices[0]!.tracks.entries()) {
      const files = trackFiles(summary, track.stem);
      const takes = [1, 2].map((t) => files.filter((f) => f.includes(`.t0${t}.`)).flatMap((f) => Array.from(readWav(f).samples)));
      for (const samples of takes) {
        const start = samples.findIndex((v) => v !== 0);
        const end = samples.findLastIndex((v) => v !== 0);
        const first = counterFrame(samples[start]!, 24);
        expect(start, `take of ${track.stem} holds signal`).toBeGreaterThanOrEqual(0);
        const bad = samples.slice(start, end + 1).findIndex((v, i) => v !== counterSample(first + i, c, 24));
        expect({ c, start, end, bad, len: samples.length }).toEqual({ c, start, end, bad: -1, len: samples.length });
      }
      const [a, b] = takes.map((samples) => { const i = samples.findIndex((v) => v !== 0); return { i, frame: counterFrame(samples[i]!, 24) }; });
      const onTimeline = summary.takes[1]!.startSample + b!.i - (summary.takes[0]!.startSample + a!.i);
      expect(Math.abs(onTimeline - (b!.frame - a!.frame))).toBeLessThan(2400);
    }
  });
});

describe('the sound card is unplugged mid-recording', () => {
  // A sound server of its own with this one card: PulseAudio moves the streams of a
  // removed sink to another one if there is one, which would hide the unplugging.
  const alone = new TestCourtroom();
  afterAll(() => alone.close());

  it('is reported once, reopened when it is back, and the silence becomes a gap', async () => {
    const sink = await alone.sink(2, 16);
    const rec = alone.recorder(alone.room.config(alone.recordings, sink, { camera: 'none' }));
    const codes = problemCodesOf(rec);
    await rec.start();
    await new Promise((r) => setTimeout(r, 2500));
    await alone.room.card.unplug(sink);
    await new Promise((r) => setTimeout(r, 8000));
    await alone.sink(2, 16); // plugged back in
    await new Promise((r) => setTimeout(r, 8000));
    const summary = await rec.stop();
    expect(codes[0]).toMatch(/audio-(stalled|capture-crashed)/);
    // told once of each trouble, however many times the reopening is retried
    expect(new Set(codes).size).toBe(codes.length);
    expect(rec.state).toBe('stopped');
    const takes = summary.takes.filter((t) => t.device === 'dev1');
    expect(takes.length).toBeGreaterThanOrEqual(2);
    expect(takes.at(-1)!.frames / 48000).toBeGreaterThan(2); // recording again after the card came back
    expect(summary.gaps.length).toBe(takes.length - 1);
    // every segment a take left is closed with valid sizes (not checksummed as a file until finalize joins it; the chain's data hash is there)
    for (const seg of summary.audioSegments) {
      expect(seg.bytes).toBe(statSync(join(summary.dir, seg.file)).size);
      expect(seg.hashedBy === 'none' && seg.md5 === undefined && /^[0-9a-f]{64}$/.test(seg.dataSha256)).toBe(true);
    }
  });
});
