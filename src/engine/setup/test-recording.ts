import { appendFileSync } from 'node:fs';
import type { FfmpegTools } from '../../capture/video/ffmpeg-locate.js';
import { checkLine, type SetupCheck } from '../../shared/api/setup-contract.js';
import { SILENCE_DB } from '../../capture/audio/block-stats.js';
import { AbkError, type Lang } from '../../shared/result.js';
import { configFromAnswers } from '../../shared/setup-answers.js';
import { SetupRecorder } from './setup-recorder.js';

/** Stands in for the IT password while the answers are only checked (the test records nothing with it). */
const NO_PASSWORD_YET = `scrypt$00$${'00'.repeat(32)}`;

/**
 * Records `seconds` with the answers as they are, through the real capture
 * path, and says for every microphone and camera whether it delivered: a
 * microphone all its samples and a signal that is not digital silence (its
 * peak is reported, and a quiet one is noted); a camera frames at a usable
 * rate. Each result line goes to `logPath`, which IT keeps with the courtroom.
 */
export async function testRecording(answers: unknown, seconds: number, tools: FfmpegTools, captureEnv: Record<string, string>, logPath: string): Promise<{ ok: boolean; checks: SetupCheck[]; logPath: string }> {
  const made = configFromAnswers({ ...(answers as object), passwordHash: NO_PASSWORD_YET });
  if (!made.ok) throw new AbkError(made.error);
  const { recordingsRoot: _root, ...config } = made.config;
  const rec = new SetupRecorder(config, tools, captureEnv);
  const peaks = new Map<string, number>();
  rec.rec.on('event', (e) => {
    if (e.type === 'levels') for (const t of e.tracks) peaks.set(t.stem, Math.max(peaks.get(t.stem) ?? SILENCE_DB, t.peakDb));
  });
  try {
    await rec.start();
  } catch (e) {
    await rec.discard();
    throw e;
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const checks = await rec.stop((s) => {
    const out: SetupCheck[] = [];
    for (const [d, plan] of s.devices.entries()) {
      const dev = config.audio.devices[d]!;
      for (const [i, track] of plan.tracks.entries()) {
        const ch = dev.channels[i]!;
        const frames = s.audioSegments.filter((a) => a.stem === track.stem).reduce((n, a) => n + a.frames, 0);
        const peak = peaks.get(track.stem) ?? SILENCE_DB;
        const heard = peak > SILENCE_DB;
        const complete = frames >= seconds * s.sampleRate * 0.9;
        const level = { en: `peak ${peak.toFixed(1)} dBFS`, ru: `пик ${peak.toFixed(1)} дБFS`, kk: `шың ${peak.toFixed(1)} дБFS` };
        const got = (frames / s.sampleRate).toFixed(1);
        const detail: Record<Lang, string> = !complete ? { en: `only ${got} s of ${seconds} s recorded`, ru: `записано только ${got} с из ${seconds} с`, kk: `${seconds} с ішінен тек ${got} с жазылды` }
          : !heard ? {
            en: 'digital silence: no signal reaches this channel (cable, phantom power, the mixer\'s routing)',
            ru: 'цифровая тишина: на канал не приходит сигнал (кабель, фантомное питание, маршрутизация микшера)',
            kk: 'сандық тыныштық: арнаға сигнал келмейді (кабель, фантомдық қорек, микшердің бағыттауы)',
          }
            : peak < -50 ? { en: `${level.en}: quiet, nobody spoke into it?`, ru: `${level.ru}: тихо — в него никто не говорил?`, kk: `${level.kk}: тым тыныш — оған ешкім сөйлемеді ме?` } : level;
        out.push({ kind: 'microphone', name: `${dev.name} ${ch.channel}`, seat: ch.seat, ...(ch.label ? { label: ch.label } : {}), ok: complete && heard, detail });
      }
    }
    for (const cam of config.video.cameras) {
      const segs = s.videoSegments.filter((v) => v.camera === cam.id);
      const frames = segs.reduce((n, v) => n + v.frames, 0);
      const fps = (frames / seconds).toFixed(1);
      out.push({
        kind: 'camera', name: cam.label ? `${cam.id} (${cam.label})` : cam.id, ok: frames / seconds >= cam.fps * 0.5,
        detail: { en: `${frames} frames in ${seconds} s (${fps} a second of ${cam.fps})`, ru: `${frames} кадров за ${seconds} с (${fps} в секунду из ${cam.fps})`, kk: `${seconds} с ішінде ${frames} кадр (секундына ${fps}, керегі ${cam.fps})` },
      });
    }
    return out;
  });
  const ok = checks.every((c) => c.ok);
  const at = new Date().toISOString();
  appendFileSync(logPath, `${at} setup test recording, ${seconds} s: ${ok ? 'PASSED' : 'FAILED'}\n${checks.map((c) => `${at}   ${checkLine(c, 'en')}\n`).join('')}`);
  return { ok, checks, logPath };
}
