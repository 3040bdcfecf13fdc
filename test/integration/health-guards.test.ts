import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RtspCamera } from '../../src/capture/virtual-courtroom/rtsp-camera.js';
import { writeVoicesWav } from '../../src/capture/virtual-courtroom/voices.js';
import { VIRTUAL_SEATS } from '../../src/capture/virtual-courtroom/courtroom.js';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { locateFfmpeg } from '../../src/capture/video/ffmpeg-locate.js';
import { finalizeSitting } from '../../src/engine/finalize/finalize.js';
import { generateProtocol } from '../../src/engine/protocol/protocol.js';
import type { RecorderEvent, SittingRecorder, SittingSummary } from '../../src/engine/recorder/sitting-recorder.js';
import { configSchema, type AbkConfig } from '../../src/shared/config.js';
import { almatyTime } from '../../src/shared/timeline.js';
import { TestCourtroom } from '../helpers/courtroom.js';

/**
 * The health guards on the virtual courtroom: a microphone silenced on the
 * sound card, a channel driven into clipping, samples thrown away in the
 * capture process, an IP camera whose picture freezes and goes black. Each
 * is an alarm naming its seat or camera within the configured time, clears
 * when it is over, and stands in the protocol with its times.
 */
const court = new TestCourtroom();
afterAll(() => court.close());

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
type Problem = Extract<RecorderEvent, { type: 'problem' }> & { at: number };
type Recovered = Extract<RecorderEvent, { type: 'recovered' }> & { at: number };

/** Every problem and recovery the recorder tells, with when. */
function watch(rec: SittingRecorder): { problems: Problem[]; recovered: Recovered[]; when: (code: string, subject: string, after: number, timeoutMs: number) => Promise<number> } {
  const problems: Problem[] = [];
  const recovered: Recovered[] = [];
  rec.on('event', (e) => {
    if (e.type === 'problem') problems.push({ ...e, at: Date.now() });
    if (e.type === 'recovered') recovered.push({ ...e, at: Date.now() });
  });
  /** Milliseconds from `after` until the problem `code` on `subject` is told (or the recovery, for `recovered:code`). */
  const when = async (code: string, subject: string, after: number, timeoutMs: number): Promise<number> => {
    const [kind, c] = code.startsWith('recovered:') ? ['recovered', code.slice(10)] : ['problem', code];
    for (const until = after + timeoutMs; Date.now() < until + 2000; await sleep(100)) {
      const hit = kind === 'problem'
        ? problems.find((p) => p.at >= after && p.error.code === c && p.subject === subject)
        : recovered.find((r) => r.at >= after && r.code === c && r.subject === subject);
      if (hit) return hit.at - after;
    }
    throw new Error(`no ${code} on ${subject} within ${timeoutMs + 2000} ms; told: ${problems.map((p) => `${p.subject}/${p.error.code}`).join(', ')}`);
  };
  return { problems, recovered, when };
}

function guardedConfig(sink: VirtualSink, camera: AbkConfig['video']['cameras'], health: Partial<AbkConfig['health']>): AbkConfig {
  return configSchema.parse({
    recordingsRoot: court.recordings,
    audio: { bitDepth: sink.bitDepth, devices: [{ name: sink.name, channelCount: sink.channels, channels: VIRTUAL_SEATS.slice(0, sink.channels).map((seat, i) => ({ channel: i + 1, seat })) }] },
    video: { cameras: camera },
    health,
  });
}

/** The sitting finalized and its protocol made: the PDF's text, as a reader has it. */
async function protocolText(config: AbkConfig, rec: SittingRecorder, summary: SittingSummary): Promise<string> {
  const done = await finalizeSitting({ root: config.recordingsRoot, workDir: rec.dir, summary, tools: locateFfmpeg(config) });
  await generateProtocol({ dir: done.dir, manifestName: done.manifestName, scratchDir: join(court.recordings, '.lo') });
  const pdf = join(done.dir, done.manifestName.replace(/_manifest\.json$/, '_protocol.pdf'));
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

const secondsOfDay = (hms: string): number => hms.split(':').map(Number).reduce((a, b) => a * 60 + b, 0);
/** The clock times (seconds of the Almaty day) of the protocol's line ending in `what`: from, and to when it has an end. */
function span(text: string, what: string): { from: number; to?: number } {
  const m = new RegExp(`(\\d\\d:\\d\\d:\\d\\d)(?: – (\\d\\d:\\d\\d:\\d\\d))?(?: \\(\\d+:\\d\\d:\\d\\d\\))?: ${what}`).exec(text);
  if (!m) throw new Error(`the protocol has no line for "${what}": ${text}`);
  return { from: secondsOfDay(m[1]!), ...(m[2] ? { to: secondsOfDay(m[2]) } : {}) };
}
/** Within `slackS` seconds of the instant `wallMs`, as the protocol's clock prints it. */
const near = (seconds: number | undefined, wallMs: number, slackS: number): boolean =>
  seconds !== undefined && Math.abs(seconds - secondsOfDay(almatyTime(wallMs))) <= slackS;

const SOAK_SECONDS = Number(process.env.ABK_HEALTH_SOAK_SECONDS ?? 90);

describe('health guards', () => {
  it(`no false alarms: ${SOAK_SECONDS} s of the demo courtroom's turn-taking (8 microphones, a camera) raise none, with the dead-microphone guard at 5 s`, async () => {
    const sink = await court.sink(8, 24);
    const voices = join(court.recordings, 'voices-8.wav');
    await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, 8), SOAK_SECONDS + 10);
    // tighter than the defaults where turn-taking allows: each seat speaks every 25 s or so, so a minute of noise floor alone would be news
    const config = guardedConfig(sink, [{ id: 'cam1', label: 'Зал', source: { kind: 'test', pattern: 'testsrc2' } } as AbkConfig['video']['cameras'][number]],
      { deadSeconds: 5, quietSeconds: 60, clockWindowSeconds: 2 });
    await court.room.card.channelVolumes(sink, Array(8).fill(100) as number[]);
    const rec = court.recorder(config);
    const seen = watch(rec);
    await rec.start();
    const playing = court.room.card.play(sink, voices);
    await sleep(SOAK_SECONDS * 1000);
    playing.stop();
    await playing.done;
    const summary = await rec.stop();
    expect(seen.problems.map((p) => `${p.subject}/${p.error.code}`)).toEqual([]);
    expect(summary.health!.findings).toEqual([]);
    expect(summary.gaps).toEqual([]);
  }, (SOAK_SECONDS + 120) * 1000);

  it('a silenced microphone, a clipping channel and lost samples: alarms naming the seat in time, cleared when over, and in the protocol', async () => {
    const sink = await court.sink(4, 24);
    const voices = join(court.recordings, 'voices-4.wav');
    await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, 4), 60);
    const config = guardedConfig(sink, [], { deadSeconds: 4, clipWindowSeconds: 1, clipClearSeconds: 3, clockWindowSeconds: 2, clockStepMs: 50 });
    const rec = court.recorder(config, '7599-24-00-2/77', { captureEnv: { ...court.room.captureEnv, ABK_CAPTURE_FAULTS: '1' } });
    const seen = watch(rec);
    await court.room.card.channelVolumes(sink, [100, 100, 100, 100]);
    await rec.start();
    const playing = court.room.card.play(sink, voices);
    await sleep(5000);

    // microphone 3 (the prosecutor) unplugged on the mixer: digital zero on its channel while the others speak
    const muted = Date.now();
    await court.room.card.channelVolumes(sink, [100, 100, 0, 100]);
    const deadAfter = await seen.when('mic-dead', 'mic03_prosecutor', muted, 5000);
    expect(deadAfter).toBeLessThan(5000);
    expect(deadAfter).toBeGreaterThanOrEqual(3500); // not before the configured 4 s of silence
    const dead = seen.problems.find((p) => p.error.code === 'mic-dead')!;
    expect(dead.error.message.ru).toContain('Прокурор');
    const back = Date.now();
    await court.room.card.channelVolumes(sink, [100, 100, 100, 100]);
    expect(await seen.when('recovered:mic-dead', 'mic03_prosecutor', back, 1500)).toBeLessThan(1500);

    // microphone 2 (the secretary) driven 20 dB too hot: its speech clips
    const hot = Date.now();
    await court.room.card.channelVolumes(sink, [100, 1000, 100, 100]);
    expect(await seen.when('mic-clipping', 'mic02_secretary', hot, 15_000)).toBeLessThan(15_000);
    await court.room.card.channelVolumes(sink, [100, 100, 100, 100]);
    const cool = Date.now();
    expect(await seen.when('recovered:mic-clipping', 'mic02_secretary', cool, 6000)).toBeLessThan(6000);

    // 200 ms of samples thrown away in the capture process, as a failing sound card drops them
    const dropped = Date.now();
    rec.injectCaptureFault('dev1', 9600);
    // found within three 2-s windows: the one the loss falls in, the first wholly after it, and the next only when the loss went on across that window's edge (told once, whole)
    expect(await seen.when('audio-samples-lost', 'dev1', dropped, 7000)).toBeLessThan(7000);
    playing.stop();
    await playing.done;
    const summary = await rec.stop();

    // the microphones that stayed as they were raised nothing (the positive control of the guards above)
    const bySubject = (s: string): string[] => seen.problems.filter((p) => p.subject === s).map((p) => p.error.code);
    expect(bySubject('mic01_judge')).toEqual([]);
    expect(bySubject('mic04_defendant')).toEqual([]);
    const lost = summary.health!.findings.find((f) => f.code === 'audio-samples-lost')!;
    expect(lost.value).toBeGreaterThan(170);
    expect(lost.value).toBeLessThan(260);
    const deadFinding = summary.health!.findings.find((f) => f.code === 'mic-dead')!;
    expect(deadFinding.subject).toBe('mic03_prosecutor');
    // on the timeline, as long as the channel was silenced (about 4 s of guard time and the restore after it)
    expect(deadFinding.toMs! - deadFinding.fromMs).toBeGreaterThan(3500);
    expect(deadFinding.toMs! - deadFinding.fromMs).toBeLessThan(back - muted + 1500);

    // in the protocol: from the moment the channel went silent to the moment it came back, on its seat
    const text = await protocolText(config, rec, summary);
    const silent = span(text, 'микрофон 3 \\(Прокурор\\): от микрофона не было сигнала');
    expect(near(silent.from, muted, 1), text).toBe(true);
    expect(near(silent.to, back, 1), text).toBe(true);
    const clipping = span(text, 'микрофон 2 \\(Секретарь\\): перегрузка микрофона');
    expect(silent.from).toBeLessThan(clipping.from);
    expect(near(clipping.to, cool, 4), text).toBe(true); // clipping is over once none is seen for 3 s
    // told as of when the samples went, not of when a window's least lag showed it (up to two windows later)
    expect(near(span(text, 'dev1: звуковая карта потеряла \\d+ мс звука').from, dropped, 1), text).toBe(true);
    expect(text).toContain('Проверка перед заседанием не проводилась');
  });

  it('an IP camera whose picture freezes, then goes black, while its frames keep coming: an alarm each within 5 s, in the protocol', async () => {
    const camera = new RtspCamera(19554 + (process.pid % 1000));
    await camera.start();
    try {
      const sink = await court.sink(2, 16);
      const config = guardedConfig(sink, [{ id: 'cam1', label: 'Зал', source: { kind: 'rtsp', url: camera.url } } as AbkConfig['video']['cameras'][number]],
        { freezeSeconds: 3, blackSeconds: 3 });
      const rec = court.recorder(config);
      const seen = watch(rec);
      await rec.start();
      await sleep(5000);
      expect(seen.problems.filter((p) => p.source === 'camera')).toEqual([]); // the moving picture is not frozen

      const froze = Date.now();
      await camera.picture('frozen');
      expect(await seen.when('camera-frozen', 'cam1', froze, 5000)).toBeLessThan(5000);
      const moving = Date.now();
      await camera.picture('live');
      expect(await seen.when('recovered:camera-frozen', 'cam1', moving, 3000)).toBeLessThan(3000);

      const dark = Date.now();
      await camera.picture('black');
      expect(await seen.when('camera-black', 'cam1', dark, 5000)).toBeLessThan(5000);
      const lit = Date.now();
      await camera.picture('live');
      expect(await seen.when('recovered:camera-black', 'cam1', lit, 4000)).toBeLessThan(4000);
      await sleep(1000);
      const summary = await rec.stop();

      const text = await protocolText(config, rec, summary);
      const frozen = span(text, 'камера cam1: изображение камеры застыло');
      expect(near(frozen.from, froze, 2), text).toBe(true);
      expect(near(frozen.to, moving, 2), text).toBe(true);
      const black = span(text, 'камера cam1: камера показывала чёрное изображение');
      expect(near(black.from, dark, 2), text).toBe(true);
      expect(near(black.to, lit, 3), text).toBe(true);
    } finally {
      await camera.stop();
    }
  });
});
