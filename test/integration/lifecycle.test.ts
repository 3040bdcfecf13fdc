import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { sendFile } from '../../src/engine/api/media.js';
import { openDatabase } from '../../src/engine/db/database.js';
import { databasePath, SittingSession } from '../../src/engine/sittings/sitting-session.js';
import { SittingRecorder, type RecorderEvent } from '../../src/engine/recorder/sitting-recorder.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { KAZAKH_FIELDS, post, startEngine } from '../helpers/engine.js';
import { descendants } from '../helpers/kill-tree.js';
import { until } from '../helpers/serve.js';

const court = new TestCourtroom();
let sink: VirtualSink;
let engine: Awaited<ReturnType<typeof startEngine>>;

beforeAll(async () => {
  sink = await court.sink(2, 16);
  engine = await startEngine(court, court.room.config(court.recordings, sink, { camera: 'test' }));
});
afterAll(async () => { await engine.close(); await court.close(); });
afterEach(() => { vi.restoreAllMocks(); });

/** What this test process still runs: the capture processes and ffmpegs a failed start or stop must not leave behind. */
function ourChildren(): { capture: number; ffmpeg: number } {
  const cmds = descendants(process.pid).map((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return ''; }
  });
  if (process.env.ABK_TEST_DEBUG) console.log(cmds.filter((c) => c.startsWith('ffmpeg')).map((c) => c.replace(/\0/g, ' ')));
  return { capture: cmds.filter((c) => c.includes('capture-process')).length, ffmpeg: cmds.filter((c) => c.startsWith('ffmpeg') || c.includes('/ffmpeg\0')).length };
}

const stateOf = async (id: number): Promise<string> => ((await post(engine.server, 'sittings/get', { id })).json.value as { state: string }).state;

async function openSitting(caseNumber: string): Promise<number> {
  const r = await post(engine.server, 'sittings/open', { fields: { ...KAZAKH_FIELDS, caseNumber } });
  expect(r.json.ok).toBe(true);
  return (r.json.value as { id: number }).id;
}

describe('the recording lifecycle cannot get stuck', () => {
  it('Start on a finalized sitting is refused before anything is started, while a ready one starts (regression)', async () => {
    const id = await openSitting('life-1');
    expect((await post(engine.server, 'sittings/get', { id })).json.value).toMatchObject({ canRecord: true, continues: false });
    // positive control: a ready sitting records
    expect((await post(engine.server, 'recording/start', { id })).json.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await post(engine.server, 'recording/stop', { id })).json.ok).toBe(true);
    await until('finalized', async () => (await stateOf(id)) === 'finalized');
    // finished by Stop: once its files read back its working folder goes, and a refused start must not make one again
    const work = join(court.recordings, '.work', ((await post(engine.server, 'sittings/get', { id })).json.value as { base: string }).base);
    await until('the working folder removed', () => !existsSync(work), 60_000);
    // a quiet start: no capture process, and the player's listening copy (made after finalize) done
    await until('no capture process nor ffmpeg', () => { const c = ourChildren(); return c.capture === 0 && c.ffmpeg === 0; }, 60_000);

    // the UI is told, and disables Start
    expect((await post(engine.server, 'sittings/get', { id })).json.value).toMatchObject({ canRecord: false, continues: false });
    const again = await post(engine.server, 'recording/start', { id });
    expect(again.status).toBe(409);
    expect(again.json.error!.code).toBe('sitting-finished');
    expect(again.json.error!.message.kk).toContain('жаңа отырыс ашыңыз');
    expect(ourChildren()).toEqual({ capture: 0, ffmpeg: 0 });
    expect(existsSync(work)).toBe(false);
    expect(await stateOf(id)).toBe('finalized');
    // and the engine is not left believing it records
    const info = (await post(engine.server, 'engine/info', {})).json.value as { active?: unknown };
    expect(info.active).toBeUndefined();
  });

  it('stopRecording throwing leaves the engine free to record, and the sitting is finalized from its segments (regression)', async () => {
    const id = await openSitting('life-2');
    expect((await post(engine.server, 'recording/start', { id })).json.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    const realStop = SittingRecorder.prototype.stop;
    vi.spyOn(SittingRecorder.prototype, 'stop').mockImplementationOnce(async function (this: SittingRecorder) {
      await realStop.call(this); // the files are closed; then the stop fails, as a summary that cannot be written would
      throw new Error('the sitting summary could not be written');
    });
    const stop = await post(engine.server, 'recording/stop', { id });
    expect(stop.json.ok).toBe(false);
    await until('finalized from its segments', async () => (await stateOf(id)) === 'finalized');
    const alarms = ((await post(engine.server, 'engine/info', {})).json.value as { alarms: { key: string }[] }).alarms.map((a) => a.key);
    expect(alarms).toContain(`stop/${id}`);
    // the engine records again
    const next = await openSitting('life-3');
    expect((await post(engine.server, 'recording/start', { id: next })).json.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await post(engine.server, 'recording/stop', { id: next })).json.ok).toBe(true);
    await until('the next finalized', async () => (await stateOf(next)) === 'finalized');
  });

  it('a sitting.json damaged on disk is refused by its schema, named on the log, and the sitting is rebuilt from its segments whole', async () => {
    const id = await openSitting('life-damaged');
    expect((await post(engine.server, 'recording/start', { id })).json.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2500));
    const realStop = SittingRecorder.prototype.stop;
    let dir = '';
    vi.spyOn(SittingRecorder.prototype, 'stop').mockImplementationOnce(async function (this: SittingRecorder) {
      const summary = await realStop.call(this);
      dir = summary.dir;
      // valid JSON that lies: a segment's data digest is not a digest (what a bad sector or a hand edit leaves)
      const text = readFileSync(join(dir, 'sitting.json'), 'utf8');
      writeFileSync(join(dir, 'sitting.json'), text.replace(/"dataSha256": "[0-9a-f]{64}"/, '"dataSha256": "not-a-digest"'));
      throw new Error('the stop failed after the summary was written');
    });
    const log: string[] = [];
    const write = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array) => boolean;
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { log.push(String(chunk)); return write(chunk); });
    expect((await post(engine.server, 'recording/stop', { id })).json.ok).toBe(false);
    await until('finalized from its segments', async () => (await stateOf(id)) === 'finalized');
    expect(log.join('')).toMatch(/sitting\.json is damaged \(audioSegments\.0\.dataSha256: /);
    // every microphone of the sitting is in its package, and the package verifies
    const d = (await post(engine.server, 'sittings/get', { id })).json.value as { files: { name: string }[]; integrity?: { state: string } };
    expect(d.files.filter((f) => /_mic\d\d_/.test(f.name))).toHaveLength(2);
    await until('verified', async () => ((await post(engine.server, 'sittings/get', { id })).json.value as typeof d).integrity?.state === 'verified');
  });

  it('audio.start throwing while cameras run leaves no camera, capture process or watchdog behind (regression)', async () => {
    await until('idle', () => ourChildren().capture === 0 && ourChildren().ffmpeg === 0, 30_000);
    const config = court.room.config(join(court.dir, 'audio-throws'), sink, { camera: 'test' });
    // the capture process cannot even start: Node is told to preload a module that does not exist
    const rec = new SittingRecorder({ config, caseNumber: 'audio-throws', captureEnv: { ...court.room.captureEnv, NODE_OPTIONS: '--require /nonexistent/abk-preload.cjs' } });
    await expect(rec.start()).rejects.toThrow(/exited before it was ready/);
    expect(ourChildren()).toEqual({ capture: 0, ffmpeg: 0 });
    expect(rec.state).toBe('ready'); // back where it came from
  });

  it('one phase for sitting, recorder and cameras: a second Start and a Pause while stopping are refused and change nothing', async () => {
    await until('idle', () => ourChildren().capture === 0 && ourChildren().ffmpeg === 0, 30_000);
    const config = court.room.config(join(court.dir, 'one-phase'), sink, { camera: 'test' });
    mkdirSync(config.recordingsRoot, { recursive: true });
    const session = new SittingSession(openDatabase(databasePath(config.recordingsRoot)), config);
    try {
      session.create({ ...KAZAKH_FIELDS, caseNumber: 'one-phase' });
      const first = session.start({ captureEnv: court.room.captureEnv });
      // a double click: refused at once, before a second recorder or capture process exists
      await expect(session.start({ captureEnv: court.room.captureEnv })).rejects.toMatchObject({ appError: { code: 'invalid-transition' } });
      const rec = await first;
      const seen: string[] = [];
      rec.on('event', (e: RecorderEvent) => { if (e.type === 'state') seen.push(e.state); });
      expect([session.phase, rec.state, session.sitting.state]).toEqual(['recording', 'recording', 'recording']);
      await until('camera up', () => rec.cameraHealth('cam1').ok, 15_000);
      expect(ourChildren()).toEqual({ capture: 1, ffmpeg: 2 }); // the camera and the live mix
      await session.pause();
      expect([session.phase, rec.cameraHealth('cam1').ok, session.sitting.state]).toEqual(['paused', false, 'paused']);
      await session.resume();
      await until('camera again', () => rec.cameraHealth('cam1').ok, 15_000);
      const stopping = session.stopRecording();
      expect(session.phase).toBe('stopping');
      await expect(session.pause()).rejects.toMatchObject({ appError: { code: 'invalid-transition' } });
      const summary = await stopping;
      expect([session.phase, session.sitting.state]).toEqual(['stopped', 'finalizing']);
      expect(summary.pauses).toHaveLength(1);
      expect(summary.videoSegments.map((v) => v.end)).toEqual(['paused', 'stopped']); // the camera followed the phase
      await session.finalizeStopped(summary);
      expect([session.phase, session.sitting.state]).toEqual(['finalized', 'finalized']);
      expect(seen).toEqual(['pausing', 'paused', 'resuming', 'recording', 'stopping', 'stopped', 'finalizing', 'finalized']);
      expect(ourChildren().capture).toBe(0);
    } finally {
      await session.close();
    }
  });

  it('no audio device starting leaves no capture process behind (regression)', async () => {
    const config = court.room.config(join(court.dir, 'no-device'), sink, { camera: 'none' });
    config.audio.devices[0]!.name = 'abk_no_such_card';
    const rec = new SittingRecorder({ config, caseNumber: 'no-device', captureEnv: court.room.captureEnv });
    await expect(rec.start()).rejects.toMatchObject({ appError: { code: 'no-audio-input' } });
    await until('capture process gone', () => ourChildren().capture === 0, 10_000);
  });
});

describe('every stream and socket has an error path', () => {
  it('ENOSPC on a log stream while a camera runs is an alarm, and the recording goes on (regression)', async () => {
    const config = court.room.config(join(court.dir, 'log-enospc'), sink, { camera: 'test' });
    const rec = new SittingRecorder({ config, caseNumber: 'log-enospc', captureEnv: court.room.captureEnv });
    // /dev/full answers every write with ENOSPC, as a full disk does
    symlinkSync('/dev/full', join(rec.dir, 'cam1.ffmpeg.log'));
    symlinkSync('/dev/full', join(rec.dir, 'audio-capture.log'));
    const problems: Extract<RecorderEvent, { type: 'problem' }>[] = [];
    rec.on('event', (e) => { if (e.type === 'problem') problems.push(e); });
    await rec.start();
    await new Promise((r) => setTimeout(r, 4000));
    const s = await rec.stop();
    expect(problems.filter((p) => p.error.code === 'log-write-failed').map((p) => p.source).sort()).toEqual(['audio', 'camera']);
    expect(problems.find((p) => p.source === 'camera')!.error.message.ru).toContain('запись продолжается');
    expect(s.videoSegments.length).toBe(1);
    expect(s.videoSegments[0]!.frames).toBeGreaterThan(50);
    expect(s.audioSegments.reduce((n, a) => n + a.frames, 0)).toBeGreaterThan(2 * 3 * 48000);
  });

  it('an oversized WebSocket frame closes that socket only; the engine answers and a new socket gets events (regression)', async () => {
    const url = `ws://127.0.0.1:${engine.server.port}/api/events`;
    const headers = { authorization: `Bearer ${engine.server.token}`, origin: engine.server.url.replace(/\/$/, '') };
    const big = new WebSocket(url, { headers });
    await new Promise((r) => big.once('open', r));
    const closed = new Promise<number>((r) => big.once('close', (code) => r(code)));
    big.send('x'.repeat(10_000));
    expect(await closed).toBe(1009);
    // positive control: the engine still answers, and a well-behaved socket still receives events
    expect((await post(engine.server, 'engine/info', {})).status).toBe(200);
    const ok = new WebSocket(url, { headers });
    await new Promise((r) => ok.once('open', r));
    const got = new Promise<string>((r) => ok.once('message', (m) => r(String(m))));
    await post(engine.server, 'alarms/acknowledge', { key: 'none' });
    const id = await openSitting('life-ws');
    await post(engine.server, 'recording/start', { id });
    expect(JSON.parse(await got).type).toBeTruthy();
    await post(engine.server, 'recording/stop', { id });
    ok.close();
    await until('finalized', async () => (await stateOf(id)) === 'finalized');
  });

  it('a preview deleted while it is being served ends that response, not the engine (regression)', async () => {
    // a path that stats but cannot be read, as a file removed between the size check and the read
    const gone = join(court.dir, 'preview-gone.jpg');
    mkdirSync(gone);
    const srv = createServer((req, res) => sendFile(req, res, gone));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    await expect(fetch(`http://127.0.0.1:${port}/x.jpg`).then((r) => r.arrayBuffer())).rejects.toThrow();
    srv.close();
    // the real case: the UI polls the camera's preview while the pre-session check is stopped and its folder removed
    expect((await post(engine.server, 'precheck/start', {})).json.ok).toBe(true);
    await until('a preview', async () => (await fetch(`${engine.server.url}media/camera/cam1.jpg`, { headers: { authorization: `Bearer ${engine.server.token}` } })).status === 200, 20_000);
    let polling = true;
    const poll = (async () => {
      while (polling) await fetch(`${engine.server.url}media/camera/cam1.jpg`, { headers: { authorization: `Bearer ${engine.server.token}` } }).then((r) => r.arrayBuffer()).catch((e: unknown) => e); // a response ended as its file goes is what is tested: the engine must survive it
    })();
    await new Promise((r) => setTimeout(r, 300));
    expect((await post(engine.server, 'precheck/stop', {})).json.ok).toBe(true);
    polling = false;
    await poll;
    expect((await post(engine.server, 'engine/info', {})).status).toBe(200);
  });
});

describe('one monotonic clock for placement', () => {
  it('a wall-clock step mid-sitting, faked inside the engine, is logged and does not move marks (regression)', async () => {
    const root = join(court.dir, 'clock-step');
    const session = new SittingSession(openDatabase(databasePath(root)), court.room.config(root, sink, { camera: 'none' }));
    session.create({ ...KAZAKH_FIELDS, caseNumber: 'clock-step' });
    const rec = await session.start({ captureEnv: court.room.captureEnv });
    await new Promise((r) => setTimeout(r, 1500));
    const a = session.mark({ kind: 'floor', seat: 'judge' });
    const real = Date.now.bind(Date);
    const STEP = 3_600_000; // NTP, or a person, sets the PC's clock an hour forward
    vi.spyOn(Date, 'now').mockImplementation(() => real() + STEP);
    await new Promise((r) => setTimeout(r, 2000));
    const b = session.mark({ kind: 'floor', seat: 'secretary' });
    vi.restoreAllMocks();
    const stopped = await session.stopRecording();
    // the two marks are 2 s apart on the timeline, as they were in the room
    expect(Math.abs((b.atSample - a.atSample) / 48 - 2000)).toBeLessThan(100);
    // the wall clock is kept beside: the second mark carries the stepped time
    expect(b.wallMs - a.wallMs).toBeGreaterThan(STEP);
    // the recorder's log, read before finalize (after it, the working folder goes)
    const steps = readFileSync(join(stopped.dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stepMs: number }).filter((e) => e.type === 'clock-step');
    expect(steps).toHaveLength(1);
    expect(Math.abs(steps[0]!.stepMs - STEP)).toBeLessThan(50);
    // and it is a finding for the protocol, placed on the timeline by the monotonic clock (between the two marks), not an hour on
    const step = stopped.health!.findings.find((f) => f.code === 'clock-step')!;
    expect(Math.abs(step.value! - STEP)).toBeLessThan(50);
    expect(step.fromMs).toBeGreaterThan((a.atSample / 48) - 100);
    expect(step.fromMs).toBeLessThan((b.atSample / 48) + 100);
    expect((await (await session.finalizeStopped(stopped)).verified).ok).toBe(true);
    expect(rec.state).toBe('finalized');
    await session.close();
  });
});
