/**
 * The audio capture process. Its event loop does nothing but move PortAudio
 * buffers to WAV files, so a stalled engine or UI never overflows the input,
 * and a native crash here costs a short gap, not the hearing.
 * Started by `audio-capture.ts` with an IPC channel; naudiodon is loaded only here.
 */
import naudiodon from 'naudiodon';
import { appError } from '../../shared/result.js';
import { matchInputDevice } from './device-match.js';
import { inputOptions } from './input-options.js';
import { levelsOf } from './block-stats.js';
import { DeviceRecorder } from './device-recorder.js';
import { LiveMixer } from './live-mixer.js';
import { mixArgs, pipeInput } from './mix-args.js';
import type { AudioDeviceInfo, CaptureStart, CaptureToEngine, EngineToCapture } from './protocol.js';
import { SignalGuard } from './signal-guard.js';
import type { BlockStats } from './block-stats.js';

type Stream = naudiodon.IoStreamRead;

const send = (msg: CaptureToEngine): void => {
  if (process.connected) process.send?.(msg);
};

function listDevices(): AudioDeviceInfo[] {
  return naudiodon.getDevices().map((d) => ({
    id: d.id, name: d.name, hostApi: d.hostAPIName, maxInputChannels: d.maxInputChannels, defaultSampleRate: d.defaultSampleRate,
  }));
}

const STALL_MS = 2000;

const running: { rec: DeviceRecorder; io: Stream }[] = [];
const FAULTS = process.env.ABK_CAPTURE_FAULTS === '1';
const LOAD_EVERY_MS = 5000;
const stallReported = new Set<DeviceRecorder>();
let timers: NodeJS.Timeout[] = [];
let mixer: LiveMixer | undefined;

/** One ffmpeg mixes every device of this take; its failure is told once and never touches the WAV files. */
function startMixer(req: CaptureStart, plans: CaptureStart['devices']): LiveMixer | undefined {
  const m = req.mixer;
  if (!m || plans.length === 0) return undefined;
  const inputs = plans.map((p, i) => ({ input: pipeInput(i, p.channelCount, req.sampleRate, req.bitDepth), channels: p.tracks.map((t) => t.deviceChannel) }));
  return new LiveMixer({ ffmpeg: m.ffmpeg, args: mixArgs(inputs, { m4a: m.m4a, mp3: m.mp3 }), inputs: plans.map((p) => p.key), logFile: m.logFile }, (reason) => {
    send({ type: 'error', error: appError('mix-failed',
      `The live mix stopped (${reason}); the microphones are still recording and the mix will be made from them when the sitting is finalized.`,
      `Сведение звука на лету остановлено (${reason}); микрофоны продолжают запись, общая дорожка будет собрана из них при завершении.`,
      `Дыбысты тікелей біріктіру тоқтады (${reason}); микрофондар жазуды жалғастыруда, ортақ жолшық аяқтау кезінде солардан жасалады.`), fatal: false });
  });
}

// Listing devices initialises PortAudio, which probes every device of the host
// APIs; done once, before 'ready', it is not paid again when recording starts.
const devicesAtStart = listDevices();

function start(req: CaptureStart): void {
  const devices = devicesAtStart;
  const found = new Map(req.devices.map((plan) => [plan, matchInputDevice(devices, plan.name, plan.channelCount, plan.hostApi)] as const));
  mixer = startMixer(req, req.devices.filter((p) => found.get(p)!.ok));
  for (const plan of req.devices) {
    const match = found.get(plan)!;
    if (!match.ok) {
      send({ type: 'error', device: plan.key, error: match.error, fatal: true });
      continue;
    }
    const rec = new DeviceRecorder(req, plan, send, mixer);
    let io: Stream;
    try {
      io = naudiodon.AudioIO({ inOptions: inputOptions(match.value.id, plan.channelCount, req.sampleRate, req.bitDepth) });
      io.on('data', (chunk: Buffer) => {
        const first = rec.firstSampleWallMs === 0;
        rec.onData(chunk);
        if (first) send({ type: 'started', device: plan.key, info: match.value, firstSampleWallMs: rec.firstSampleWallMs });
      });
      io.start();
    } catch (e) {
      mixer?.end(plan.key); // the mix goes on with the devices that opened
      send({ type: 'error', device: plan.key, fatal: true, error: appError('audio-open-failed',
        `Audio input "${match.value.name}" could not be opened: ${(e as Error).message}. Check that no other program holds it and that ${req.sampleRate} Hz, ${req.bitDepth}-bit is supported.`,
        `Не удалось открыть аудиовход «${match.value.name}»: ${(e as Error).message}. Проверьте, что он не занят другой программой и поддерживает ${req.sampleRate} Гц, ${req.bitDepth} бит.`,
        `«${match.value.name}» аудиокірісін ашу мүмкін болмады: ${(e as Error).message}. Оны басқа бағдарлама ұстап тұрмағанын және ${req.sampleRate} Гц, ${req.bitDepth} бит қолдайтынын тексеріңіз.`) });
      continue;
    }
    running.push({ rec, io });
  }
  const stems = req.devices.flatMap((p) => p.tracks.map((t) => t.stem));
  const guard = new SignalGuard(req.guard, stems, req.unwatched, (stem, code, on, atMs, value) => {
    const device = req.devices.find((p) => p.tracks.some((t) => t.stem === stem))!.key;
    send({ type: 'finding', device, stem, code, on, ...(value !== undefined ? { value } : {}), wallMs: Math.round(atMs) });
  });
  let cpu = process.cpuUsage();
  let cpuAt = performance.now();
  timers = [
    setInterval(() => running.forEach(({ rec }) => rec.syncHeaders()), req.headerSyncMs),
    setInterval(() => {
      const used = process.cpuUsage(cpu);
      const at = performance.now();
      send({ type: 'load', cpuPercent: Math.round(((used.user + used.system) / 1000 / (at - cpuAt)) * 1000) / 10 });
      cpu = process.cpuUsage();
      cpuAt = at;
    }, LOAD_EVERY_MS),
    setInterval(() => {
      const now = Date.now();
      const block = new Map<string, BlockStats>();
      for (const { rec } of running) {
        if (rec.failed) continue;
        const stats = rec.takeStats();
        if (rec.firstSampleWallMs > 0) stats.forEach((s, i) => block.set(rec.plan.tracks[i]!.stem, s));
        send({ type: 'levels', device: rec.plan.key, frames: rec.frames, wallMs: now, tracks: stats.map(levelsOf) });
        const since = rec.lastDataWallMs || rec.firstSampleWallMs;
        const stalled = since > 0 && now - since > STALL_MS;
        // once per stall, not ten times a second
        if (stalled && !stallReported.has(rec)) {
          stallReported.add(rec);
          send({ type: 'stalled', device: rec.plan.key, silentMs: now - since, frames: rec.frames });
        } else if (!stalled) stallReported.delete(rec);
      }
      guard.block(now, block);
    }, 100),
  ];
}

let stopping: Promise<void> | undefined;
const stop = (atWallMs?: number): Promise<void> => (stopping ??= stopAll(atWallMs));

async function stopAll(atWallMs?: number): Promise<void> {
  await Promise.all(running.map(async ({ rec, io }) => {
    if (atWallMs !== undefined) await rec.stopAt(atWallMs, Math.max(0, atWallMs - Date.now()) + 1000);
    // quit() waits for PortAudio's pending buffers; abort if the device is gone and it hangs.
    await Promise.race([new Promise<void>((r) => io.quit(() => r())), new Promise((r) => setTimeout(r, 3000))]);
    await rec.finish();
    const ppm = rec.clock.cardPpm();
    send({ type: 'stopped', device: rec.plan.key, frames: rec.frames, ...(ppm !== undefined ? { clockPpm: Math.round(ppm * 10) / 10 } : {}) });
  }));
  timers.forEach(clearInterval);
  await mixer?.close();
}

process.on('message', (msg: EngineToCapture) => {
  switch (msg.type) {
    case 'list-devices':
      send({ type: 'devices', devices: devicesAtStart });
      break;
    case 'start':
      start(msg);
      break;
    case 'pause':
      running.forEach(({ rec }) => rec.pause());
      break;
    case 'resume':
      running.forEach(({ rec }) => rec.resume());
      break;
    case 'stop':
      void stop(msg.atWallMs).then(() => process.disconnect?.());
      break;
    case 'fault':
      if (FAULTS) running.find(({ rec }) => rec.plan.key === msg.device)?.rec.drop(msg.dropFrames);
      break;
  }
});

// The engine going away must not leave files with stale headers: close them and exit.
process.on('disconnect', () => {
  void stop().then(() => process.exit(0));
});
// Ctrl+C in a terminal reaches the whole process group; only the engine decides
// when recording stops, so this process waits for its word.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => {
  void stop().then(() => process.exit(0));
});

send({ type: 'ready', pid: process.pid });
