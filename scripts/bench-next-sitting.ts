/**
 * Stop → the next sitting can start, on a real recording through the engine
 * API (the virtual courtroom's 8 microphones and a camera): a sitting records
 * for `seconds`, is stopped, and a second sitting is opened and started at
 * once, while the first one's finalize runs behind; then the second is
 * stopped too, while the first may still be finalizing. Run by bench:finalize
 * (--next-seconds N, 0 to skip), or alone: tsx scripts/bench-next-sitting.ts [seconds].
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VIRTUAL_SEATS } from '../src/capture/virtual-courtroom/courtroom.js';
import { writeVoicesWav } from '../src/capture/virtual-courtroom/voices.js';
import type { SittingDetail } from '../src/shared/api/contract.js';
import { TestCourtroom } from '../test/helpers/courtroom.js';
import { KAZAKH_FIELDS, post, startEngine } from '../test/helpers/engine.js';

export async function benchNextSitting(seconds: number, log: (s: string) => void): Promise<void> {
  const court = new TestCourtroom();
  const sink = await court.sink(8, 24);
  const voices = join(court.dir, 'voices.wav');
  await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, 8), seconds + 60);
  const engine = await startEngine(court, court.room.config(court.recordings, sink, { camera: 'test' }));
  const playing = court.room.card.play(sink, voices);
  const call = async <T>(route: string, body: unknown): Promise<T> => {
    const r = await post(engine.server, route, body);
    if (!r.json.ok) throw new Error(`${route}: ${r.json.error?.message.en}`);
    return r.json.value as T;
  };
  const state = async (id: number): Promise<string> => (await call<SittingDetail>('sittings/get', { id })).state;
  const t = (): number => performance.now();
  try {
    const a = await call<SittingDetail>('sittings/open', { fields: KAZAKH_FIELDS });
    await call('recording/start', { id: a.id });
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const stop0 = t();
    await call('recording/stop', { id: a.id });
    const stopped = t() - stop0;
    const aStateAtStop = await state(a.id);
    const b = await call<SittingDetail>('sittings/open', { fields: { ...KAZAKH_FIELDS, caseNumber: '7599-24-00-2/1235' } });
    const start0 = t();
    await call('recording/start', { id: b.id });
    const nextRecording = t() - stop0;
    const startItself = t() - start0;
    const aStateThen = await state(a.id);
    await new Promise((r) => setTimeout(r, 10_000));
    const aBeforeSecondStop = await state(a.id);
    const stop1 = t();
    await call('recording/stop', { id: b.id });
    const secondStop = t() - stop1;
    let aDone = 0;
    for (let i = 0; i < 1200 && (await state(a.id)) !== 'finalized'; i++) await new Promise((r) => setTimeout(r, 250));
    aDone = t() - stop0;
    for (let i = 0; i < 1200 && (await state(b.id)) !== 'finalized'; i++) await new Promise((r) => setTimeout(r, 250));
    const bDone = t() - stop1;
    log(`\nA real ${seconds}-s sitting (8 microphones × 24-bit and a camera, through the engine API):`);
    log(`  Stop → its answer, the engine free for the next sitting: ${(stopped / 1000).toFixed(2)} s  (goal ≤ 2 s; the first sitting was then "${aStateAtStop}")`);
    log(`  Stop → the next sitting recording: ${(nextRecording / 1000).toFixed(2)} s, of which its own Start took ${(startItself / 1000).toFixed(2)} s (capture process, camera, first samples: as for any sitting; the first was then "${aStateThen}")`);
    log(`  the second sitting's Stop → its answer: ${(secondStop / 1000).toFixed(2)} s  (the first was "${aBeforeSecondStop}" when it was pressed)`);
    log(`  the second sitting finalized ${(bDone / 1000).toFixed(1)} s after its own Stop (the first: "${aStateThen}" when the second started${aStateThen === 'finalized' ? '' : `, finalized ${(aDone / 1000).toFixed(1)} s after its Stop`})`);
  } finally {
    playing.stop();
    await engine.close();
    await court.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchNextSitting(Number(process.argv[2] ?? 60), (s) => void process.stdout.write(`${s}\n`));
