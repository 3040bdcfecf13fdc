import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/engine/db/database.js';
import { microphoneFiles } from '../../src/engine/finalize/manifest.js';
import { databasePath, SittingSession } from '../../src/engine/sittings/sitting-session.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { counterRuns } from '../helpers/counter-check.js';
import { KAZAKH_FIELDS } from '../helpers/engine.js';
import { ffprobe } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';

/** A standard WAV holds at most 4 GiB (about 8.3 h at 48 kHz/24-bit): a longer microphone is cut into parts. */
const court = new TestCourtroom();
afterAll(() => court.close());

describe('a sitting longer than a WAV can hold', () => {
  it('a sitting past a lowered WAV limit: each microphone in parts under the limit, exact and continuous, the mix whole, md5sum -c (regression)', async () => {
    const sink = await court.sink(2, 16);
    const src = court.counter(sink, 40);
    const root = join(court.dir, 'limit');
    const limit = 1 << 20; // one 10 s segment of 16-bit audio (960 000 bytes) per part
    const config = { ...court.room.config(root, sink, { camera: 'test', segmentSeconds: 10 }) };
    config.audio.maxWavPartBytes = limit;
    const session = new SittingSession(openDatabase(databasePath(root)), config);
    session.create({ ...KAZAKH_FIELDS, caseNumber: 'wav-limit' });
    await session.start({ captureEnv: court.room.captureEnv });
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 26_000));
    const { result } = await session.stop();
    playing.stop();
    await session.close();
    const mics = microphoneFiles(result.manifest.files);
    expect(mics).toHaveLength(2);
    for (const [ch, parts] of mics.entries()) {
      expect(parts.length).toBe(3);
      expect(parts.map((p) => p.part?.index)).toEqual([1, 2, 3]);
      expect(parts[1]!.name).toBe(`${result.manifest.base}_${parts[0]!.microphone!.stem}_p2.wav`);
      const pieces: Int32Array[] = [];
      for (const p of parts) {
        const wav = readWav(join(result.dir, p.name));
        expect(wav.declaredDataBytes).toBeLessThanOrEqual(limit);
        expect(Number(ffprobe(join(result.dir, p.name)).format.duration)).toBeGreaterThan(5);
        pieces.push(wav.samples);
      }
      const samples = new Int32Array(pieces.reduce((n, p) => n + p.length, 0));
      pieces.reduce((at, p) => { samples.set(p, at); return at + p.length; }, 0);
      // the parts one after another are the microphone, unbroken: one run of the counter per period
      const runs = counterRuns(samples, ch, 16).filter((r) => r.length > 100);
      const total = runs.reduce((n, r) => n + r.length, 0);
      expect(total).toBeGreaterThan(24 * 48000);
      // the 16-bit counter wraps every 4095 frames: each run is one period, never shorter in the middle
      expect(runs.slice(1, -1).every((r) => r.length === 4095)).toBe(true);
      // each part starts where the one before ended
      expect(parts[1]!.part!.startMs).toBe(parts[0]!.durationMs);
    }
    expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: result.dir }).status).toBe(0);
    const mix = result.manifest.files.find((f) => f.kind === 'mix')!;
    expect(mix.durationMs).toBeGreaterThan(24_000);
  }, 120_000);
});
