import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RtspCamera } from '../../src/capture/virtual-courtroom/rtsp-camera.js';
import type { RecorderEvent, SittingSummary } from '../../src/engine/recorder/sitting-recorder.js';
import { configSchema } from '../../src/shared/config.js';
import { AbkError } from '../../src/shared/result.js';
import { isRoot, SmallDisks } from '../helpers/small-disk.js';
import { TestCourtroom, trackFiles } from '../helpers/courtroom.js';
import { matchCounter } from '../helpers/counter-check.js';
import { decodeErrors, ffprobe } from '../helpers/media.js';
import { readTrack, readWav } from '../helpers/wav.js';

/**
 * Bad input gets a clear error that names the problem and the fix, and the
 * other sources keep recording where they can.
 */
const court = new TestCourtroom();
const disks = new SmallDisks(court.dir);
afterAll(async () => {
  disks.close();
  await court.close();
});

const smallDisk = (name: string, sizeMiB: number, readOnly = false): string => disks.mount(name, sizeMiB, readOnly);

const problemCodes = (events: RecorderEvent[]): string[] => events.flatMap((e) => (e.type === 'problem' ? [e.error.code] : []));

/** Every 24-bit track holds the counter exactly (no sample lost, doubled or swapped); returns each track's files. */
function exactTracks(summary: SittingSummary, frames: number): string[][] {
  return summary.devices[0]!.tracks.map((t, c) => {
    const files = trackFiles(summary, t.stem);
    expect(files.length).toBeGreaterThan(0);
    expect(matchCounter(readTrack(files), c, 24, frames).mismatchAt).toBeUndefined();
    return files;
  });
}

async function startError(promise: Promise<unknown>): Promise<AbkError> {
  const e = await promise.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(AbkError);
  return e as AbkError;
}

describe('bad input', () => {
  it('refuses an unknown audio device, naming it and the devices present', async () => {
    const sink = await court.sink(4, 16);
    const config = court.room.config(court.recordings, sink, { camera: 'none' });
    config.audio.devices[0]!.name = 'Focusrite Scarlett 18i20';
    const rec = court.recorder(config);
    const problems: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type === 'problem') problems.push(e); });
    const e = await startError(rec.start());
    expect(e.appError.code).toBe('no-audio-input');
    expect(problems[0]).toMatchObject({ error: { code: 'audio-device-not-found' } });
    const msg = (problems[0] as Extract<RecorderEvent, { type: 'problem' }>).error.message;
    expect(msg.en).toContain('"Focusrite Scarlett 18i20" is not connected');
    expect(msg.en).toContain(sink.name);
    expect(msg.ru).toContain('не подключён');
    expect(msg.kk).toContain('қосылмаған');
  });

  it('refuses more channels than the device has', async () => {
    const sink = await court.sink(4, 16);
    const config = court.room.config(court.recordings, sink, { camera: 'none' });
    config.audio.devices[0]!.channelCount = 40;
    config.audio.devices[0]!.channels.push({ channel: 40, seat: 'witness' });
    const rec = court.recorder(config);
    const problems: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type === 'problem') problems.push(e); });
    await startError(rec.start());
    expect(problems[0]).toMatchObject({ error: { code: 'audio-too-many-channels' } });
    expect((problems[0] as Extract<RecorderEvent, { type: 'problem' }>).error.message.en).toMatch(/has 32 channels, but 40 are configured/);
  });

  it.runIf(isRoot)('refuses a recordings folder that cannot be written (read-only disk)', async () => {
    const sink = await court.sink(4, 16);
    const ro = smallDisk('readonly', 1, true);
    let error: unknown;
    try {
      court.recorder(court.room.config(ro, sink, { camera: 'none' }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AbkError);
    expect((error as AbkError).appError.code).toBe('folder-not-writable');
    expect((error as AbkError).appError.message.en).toContain(ro);
  });

  it.runIf(isRoot)('stops cleanly when the disk fills, keeping every sample written', async () => {
    const sink = await court.sink(8, 24);
    const disk = smallDisk('full', 12);
    const src = court.counter(sink, 20);
    const config = court.room.config(disk, sink, { camera: 'test' });
    config.disk = { warnFreeMiB: 8, stopFreeMiB: 3 };
    const { summary, events } = await court.recordUntilItStops(court.recorder(config), sink, src.path);
    const codes = problemCodes(events);
    expect(codes).toContain('disk-low');
    expect(codes).toContain('disk-full');
    expect(summary.takes[0]!.frames).toBeGreaterThan(48000);
    for (const files of exactTracks(summary, src.frames)) expect(readWav(files[0]!).declaredDataBytes).toBe(summary.takes[0]!.frames * 3);
  });

  it.runIf(isRoot)('keeps valid files when the disk fills between two checks (ENOSPC while writing)', async () => {
    const sink = await court.sink(12, 24);
    const disk = smallDisk('enospc', 5);
    const src = court.counter(sink, 20);
    const config = court.room.config(disk, sink, { camera: 'none' });
    config.disk = { warnFreeMiB: 1, stopFreeMiB: 1 };
    const { summary, events } = await court.recordUntilItStops(court.recorder(config), sink, src.path);
    expect(problemCodes(events)).toContain('disk-full');
    for (const files of exactTracks(summary, src.frames)) for (const f of files) expect(Number(ffprobe(f).format.duration)).toBeGreaterThan(1);
  });

  it('keeps recording the microphones when the camera is absent', async () => {
    const sink = await court.sink(4, 16);
    const config = court.room.config(court.recordings, sink, { camera: { rtspUrl: 'rtsp://127.0.0.1:9/absent' } });
    config.video.cameras[0]!.reconnectSeconds = 1;
    const rec = court.recorder(config);
    const events: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type !== 'levels') events.push(e); });
    await rec.start();
    await new Promise((r) => setTimeout(r, 3000));
    const summary = await rec.stop();
    const problem = events.find((e) => e.type === 'problem') as Extract<RecorderEvent, { type: 'problem' }>;
    expect(problem).toMatchObject({ source: 'camera', subject: 'cam1', error: { code: 'camera-unavailable' } });
    expect(problem.error.message.ru).toContain('микрофоны записываются');
    expect(summary.videoSegments).toEqual([]);
    expect(summary.takes[0]!.frames / 48000).toBeGreaterThan(2.5);
  });

  it('survives a camera unplugged mid-way and records it again when it is back', async () => {
    const sink = await court.sink(4, 16);
    const camera = new RtspCamera(18554 + (process.pid % 1000));
    await camera.start();
    // with a password in its address, as IP cameras are often configured
    const config = court.room.config(court.recordings, sink, { camera: { rtspUrl: camera.url.replace('rtsp://', 'rtsp://admin:Qwerty-s3cret@') } });
    config.video.cameras[0]!.reconnectSeconds = 1;
    const rec = court.recorder(config);
    const events: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type !== 'levels') events.push(e); });
    await rec.start();
    await new Promise((r) => setTimeout(r, 4000));
    await camera.stop();
    await new Promise((r) => setTimeout(r, 8000));
    await camera.start();
    await new Promise((r) => setTimeout(r, 6000));
    const summary = await rec.stop();
    await camera.stop();

    const codes = problemCodes(events);
    expect(codes[0]).toMatch(/camera-(lost|stalled)/);
    expect(events.some((e) => e.type === 'recovered' && e.source === 'camera')).toBe(true);
    expect(summary.videoSegments.length).toBeGreaterThanOrEqual(2);
    for (const v of summary.videoSegments) {
      expect(decodeErrors(join(summary.dir, v.file))).toBe('');
      expect(ffprobe(join(summary.dir, v.file)).streams[0]).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    }
    // The microphones never stopped: one take, no gap, the whole sitting long.
    expect(summary.gaps).toEqual([]);
    expect(summary.takes).toHaveLength(1);
    expect(summary.takes[0]!.frames / 48000).toBeGreaterThan(17);
    expect(readdirSync(summary.dir).filter((f) => f.endsWith('.wav'))).toHaveLength(4);
    // the password is in no log, no event and no message
    for (const f of readdirSync(summary.dir).filter((n) => /\.(log|jsonl|json)$/.test(n))) {
      expect(readFileSync(join(summary.dir, f), 'utf8'), f).not.toContain('Qwerty-s3cret');
    }
    expect(JSON.stringify(events)).not.toContain('Qwerty-s3cret');
    expect(readFileSync(join(summary.dir, 'cam1.ffmpeg.log'), 'utf8')).toContain('rtsp://***@127.0.0.1');
  });

  it('rejects a configuration with the mistakes listed', () => {
    const r = configSchema.safeParse({ recordingsRoot: '', audio: { bitDepth: 20, devices: [] } });
    expect(r.success).toBe(false);
  });
});
