import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RecorderEvent } from '../../src/engine/recorder/sitting-recorder.js';
import { configSchema } from '../../src/shared/config.js';
import { TestCourtroom, trackFiles } from '../helpers/courtroom.js';
import { matchCounter } from '../helpers/counter-check.js';
import { ffprobe } from '../helpers/media.js';
import { readTrack, readWav } from '../helpers/wav.js';

/**
 * What the secretary's console will stand on: levels ten times a second, a
 * capture that keeps up while the engine is stalled, several sound cards and
 * cameras at once, other sample rates, and the MPEG-4 Part 2 fallback.
 */
const court = new TestCourtroom();
afterAll(() => court.close());

type Levels = Extract<RecorderEvent, { type: 'levels' }>;

describe('capture health', () => {
  it('publishes every microphone\'s level about ten times a second, and keeps up while the engine stalls', async () => {
    const sink = await court.sink(4, 16);
    const src = court.counter(sink, 10);
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'none' }));
    const levels: (Levels & { at: number })[] = [];
    rec.on('event', (e) => { if (e.type === 'levels') levels.push({ ...e, at: Date.now() }); });
    await rec.start();
    await new Promise((r) => setTimeout(r, 1000));
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 3000));
    // The engine's event loop blocked for 4 s (a stalled UI or a long database write):
    // the capture process must not notice.
    const until = Date.now() + 4000;
    while (Date.now() < until) { /* busy */ }
    await playing.done;
    const summary = await rec.stop();

    const calm = levels.filter((l) => l.at < until - 4000);
    const perSecond = calm.length / ((calm.at(-1)!.at - calm[0]!.at) / 1000);
    expect(perSecond).toBeGreaterThan(8);
    expect(perSecond).toBeLessThan(12);
    expect(calm[0]!.tracks.map((t) => t.stem)).toEqual(['mic01_judge', 'mic02_secretary', 'mic03_prosecutor', 'mic04_defendant']);
    expect(calm[0]!.tracks[0]!.peakDb).toBe(-120); // before playback: silence
    expect(Math.max(...calm.map((l) => l.tracks[0]!.peakDb))).toBeGreaterThan(-1); // the counter reaches full scale
    expect(calm.every((l, i) => i === 0 || l.positionMs >= calm[i - 1]!.positionMs)).toBe(true);

    expect(summary.xruns.overflows).toBe(0);
    for (const [c, t] of summary.devices[0]!.tracks.entries()) {
      const m = matchCounter(readTrack(trackFiles(summary, t.stem)), c, 16, src.frames);
      expect(m.matched).toBe(src.frames - m.firstFrame);
    }
  });

  it('places an instant on the timeline where the audio of that instant is (how a key press stamps its mark)', async () => {
    const sink = await court.sink(4, 24);
    const src = court.counter(sink, 4);
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'none' }));
    await rec.start();
    await new Promise((r) => setTimeout(r, 1500));
    const pressedAt = Date.now(); // the secretary's key press, as playback starts
    const stamped = rec.positionAt(pressedAt);
    await court.room.card.play(sink, src.path).done;
    const summary = await rec.stop();
    const m = matchCounter(readTrack(trackFiles(summary, 'mic01_judge')), 0, 24, src.frames);
    const signalAt = summary.takes[0]!.startSample + m.offset - m.firstFrame; // where source frame 0 sits
    // paplay takes about 30 ms to start; the stamp must be no later than the sound, and close to it.
    const ms = ((signalAt - stamped) * 1000) / 48000;
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(ms).toBeLessThan(80);
  });

  it('records two sound cards at once, numbering microphones across them', async () => {
    const a = await court.sink(4, 16);
    const b = await court.sink(6, 16);
    const srcA = court.counter(a, 6);
    const srcB = court.counter(b, 6);
    const config = configSchema.parse({
      recordingsRoot: court.recordings,
      audio: { bitDepth: 16, devices: [
        { name: a.name, channels: [1, 2, 3, 4].map((channel) => ({ channel, seat: 'other' })) },
        { name: b.name, channels: [{ channel: 2, seat: 'witness' }, { channel: 6, seat: 'expert' }], channelCount: 6 },
      ] },
    });
    const rec = court.recorder(config);
    await rec.start();
    await Promise.all([court.room.card.play(a, srcA.path).done, court.room.card.play(b, srcB.path).done]);
    await new Promise((r) => setTimeout(r, 500));
    const summary = await rec.stop();
    expect(summary.problems).toEqual([]);
    expect(summary.devices.map((d) => d.tracks.map((t) => t.stem))).toEqual([
      ['mic01_other', 'mic02_other', 'mic03_other', 'mic04_other'], ['mic05_witness', 'mic06_expert']]);
    const exact = (stem: string, channel: number, frames: number): boolean => {
      const m = matchCounter(readTrack(trackFiles(summary, stem)), channel, 16, frames);
      return m.matched === frames - m.firstFrame;
    };
    expect([0, 1, 2, 3].map((c) => exact(`mic0${c + 1}_other`, c, srcA.frames))).toEqual([true, true, true, true]);
    expect(exact('mic05_witness', 1, srcB.frames)).toBe(true); // device channel 2
    expect(exact('mic06_expert', 5, srcB.frames)).toBe(true); // device channel 6
    expect(summary.takes.map((t) => t.device)).toEqual(['dev1', 'dev2']);
  });

  it('records at 16 kHz when configured', async () => {
    const sink = await court.sink(4, 16);
    const config = court.room.config(court.recordings, sink, { camera: 'none' });
    config.audio.sampleRate = 16000;
    const rec = court.recorder(config);
    await rec.start();
    await new Promise((r) => setTimeout(r, 3000));
    const summary = await rec.stop();
    const file = trackFiles(summary, 'mic01_judge')[0]!;
    expect(readWav(file).sampleRate).toBe(16000);
    const probe = ffprobe(file);
    expect(probe.streams[0]!.sample_rate).toBe('16000');
    expect(Number(probe.format.duration)).toBeCloseTo(summary.takes[0]!.frames / 16000, 3);
    expect(summary.takes[0]!.frames / 16000).toBeGreaterThan(2.5);
  });

  it('records two cameras, one forced to MPEG-4 Part 2, each with a preview frame', async () => {
    const sink = await court.sink(4, 16);
    const config = court.room.config(court.recordings, sink, { camera: 'test' });
    config.video.cameras.push({ ...config.video.cameras[0]!, id: 'cam2', label: 'Трибуна', codec: 'mpeg4', source: { kind: 'test', pattern: 'smptebars' } });
    const rec = court.recorder(config);
    await rec.start();
    await new Promise((r) => setTimeout(r, 4000));
    const summary = await rec.stop();
    expect(summary.problems).toEqual([]);
    const byCam = Object.fromEntries(summary.videoSegments.map((v) => [v.camera, ffprobe(join(summary.dir, v.file)).streams[0]]));
    expect(byCam.cam1).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(byCam.cam2).toMatchObject({ codec_name: 'mpeg4', width: 640, height: 360 });
    // each closed segment is read-only, the microphones' and the cameras' alike; the preview, rewritten each second, is not
    for (const f of [...summary.videoSegments.map((v) => v.file), ...summary.audioSegments.map((a) => a.file)]) {
      expect((statSync(join(summary.dir, f)).mode & 0o777).toString(8), f).toBe('444');
    }
    expect(summary.videoSegments).toHaveLength(2);
    expect(statSync(join(summary.dir, 'cam1.preview.jpg')).mode & 0o200).not.toBe(0);
    for (const cam of ['cam1', 'cam2']) {
      expect(ffprobe(join(summary.dir, `${cam}.preview.jpg`)).streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
    }
  });
});
