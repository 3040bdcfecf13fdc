import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestSchema } from '../../src/shared/package-format.js';
import type { HealthStatus, PrecheckStatus, SittingDetail } from '../../src/shared/api/contract.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { KAZAKH_FIELDS, post, startEngine } from '../helpers/engine.js';

/**
 * The health routes of the engine API against the real engine: the
 * pre-session check's seats marked unused (an unknown seat refused, with the
 * same call's good form as its control), and the console's health line.
 */
const court = new TestCourtroom();
let engine: Awaited<ReturnType<typeof startEngine>>;

beforeAll(async () => {
  const sink = await court.sink(4, 16);
  engine = await startEngine(court, court.room.config(court.recordings, sink, { camera: 'none' }));
});
afterAll(async () => {
  await engine?.close();
  await court.close();
});

describe('the health routes', () => {
  it('marks a seat unused in the pre-session check, refuses one the courtroom has not, and the sitting records it as not watched', async () => {
    await post(engine.server, 'precheck/start', {});
    const good = await post(engine.server, 'precheck/unused', { stems: ['mic04_defendant'] });
    expect(good.json.ok).toBe(true);
    expect((good.json.value as PrecheckStatus).microphones).toEqual([
      { stem: 'mic01_judge', result: 'fail' }, { stem: 'mic02_secretary', result: 'fail' },
      { stem: 'mic03_prosecutor', result: 'fail' }, { stem: 'mic04_defendant', result: 'unused' },
    ]);
    const bad = await post(engine.server, 'precheck/unused', { stems: ['mic09_witness'] });
    expect(bad.json.ok).toBe(false);
    expect(bad.json.error!.code).toBe('unknown-seat');
    expect(bad.json.error!.message.ru).toContain('mic09_witness');
    // the refusal changed nothing
    expect(((await post(engine.server, 'precheck/status', {})).json.value as PrecheckStatus).microphones!.find((m) => m.stem === 'mic04_defendant')!.result).toBe('unused');

    const opened = (await post(engine.server, 'sittings/open', { fields: KAZAKH_FIELDS })).json.value as SittingDetail;
    const started = await post(engine.server, 'recording/start', { id: opened.id });
    expect(started.json.ok).toBe(true);
    const health = (await post(engine.server, 'health/status', {})).json.value as HealthStatus;
    expect(health.recording).toBe(true);
    expect(health.disk.hoursLeft).toBeGreaterThan(0);
    expect(health.findings).toEqual([]);
    await post(engine.server, 'recording/stop', { id: opened.id });
    let done: SittingDetail | undefined;
    for (let i = 0; i < 120 && done?.state !== 'finalized'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      done = (await post(engine.server, 'sittings/get', { id: opened.id })).json.value as SittingDetail;
    }
    // the package's manifest, read back through its schema
    const manifest = manifestSchema.parse(JSON.parse(readFileSync(join(done!.dir!, `${done!.base}_manifest.json`), 'utf8')));
    expect(manifest.health!.unwatched).toEqual(['mic04_defendant']);
    expect(manifest.health!.selfTest!.microphones.map((m) => m.result)).toEqual(['fail', 'fail', 'fail', 'unused']);
  });
});
