import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import type { SittingDetail } from '../../src/shared/api/contract.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { counterRuns } from '../helpers/counter-check.js';
import { pdfText } from '../helpers/documents.js';
import { KAZAKH_FIELDS } from '../helpers/engine.js';
import { descendants, killTree } from '../helpers/kill-tree.js';
import { api, enginePid, startServe, until, type Served } from '../helpers/serve.js';
import { readWav } from '../helpers/wav.js';

/**
 * The engine dies mid-sitting (killed alone, or with everything as in a power
 * cut): the sitting is recovered by the next engine and continued in the same
 * sitting, its gap and cause in the protocol, every file verifying.
 */
const court = new TestCourtroom();
afterAll(() => court.close());
const RATE = 48000;

interface Setup { sink: VirtualSink; root: string; configPath: string; env: Record<string, string> }
async function setup(name: string): Promise<Setup> {
  const sink = await court.sink(2, 24);
  const root = join(court.dir, name);
  const configPath = join(court.dir, `${name}.json`);
  writeFileSync(configPath, JSON.stringify(court.room.config(root, sink, { camera: 'test' })));
  return { sink, root, configPath, env: { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! } };
}

/** The protocol is in the package: MD5SUMS, written last of a manifest revision, lists it (the PDF alone appears before the revision is placed). */
const protocolListed = (root: string, base: string): boolean => {
  const { dir } = finished(root, base);
  return existsSync(join(dir, 'MD5SUMS')) && readFileSync(join(dir, 'MD5SUMS'), 'utf8').includes(`${base}_protocol.pdf`);
};

const detail = async (s: Served, id: number): Promise<SittingDetail | undefined> => (await api<SittingDetail>(s, 'sittings/get', { id }))?.value;

/** The finished folder of a sitting and its manifest. */
function finished(root: string, base: string): { dir: string; manifest: { gaps: { device: string; fromMs: number; toMs: number; cause?: string }[]; files: { name: string; kind: string }[] } } {
  const year = readdirSync(root).find((f) => /^\d{4}$/.test(f))!;
  const slug = readdirSync(join(root, year))[0]!;
  const dir = join(root, year, slug, base);
  const manifest = JSON.parse(readFileSync(join(dir, `${base}_manifest.json`), 'utf8'));
  return { dir, manifest };
}

/** When the sitting's first sample was taken: the earliest take its recorder logged (read while the working folder is there, before Stop). */
function zeroWallMsOf(root: string, base: string): number {
  const events = readFileSync(join(root, '.work', base, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; firstSampleWallMs?: number });
  return Math.min(...events.filter((e) => e.type === 'take').map((e) => e.firstSampleWallMs!));
}

/** Every microphone file: the counter held exactly in two runs (before and after the interruption); returns the first run's end on the timeline. */
function checkTwoRuns(dir: string, base: string): number[] {
  return ['mic01_judge', 'mic02_secretary'].map((stem, ch) => {
    const runs = counterRuns(readWav(join(dir, `${base}_${stem}.wav`)).samples, ch, 24);
    if (process.env.ABK_TEST_DEBUG) console.log(stem, runs.length, JSON.stringify(runs.slice(0, 5)), JSON.stringify(runs.slice(-3)));
    expect(runs.length).toBe(2);
    for (const r of runs) expect(r.length).toBeGreaterThan(2 * RATE);
    return runs[0]!.at + runs[0]!.length;
  });
}

describe('a sitting survives its engine', () => {
  it('engine killed mid-sitting: restarted by abk serve, the same sitting goes on, the protocol states the gap, every file verifies, ≤ 1 s lost', async () => {
    const { sink, root, configPath, env } = await setup('killed');
    const src = court.counter(sink, 20);
    const serve = await startServe(configPath, env);
    const playing = court.room.card.play(sink, src.path);
    try {
      const opened = await api<SittingDetail>(serve, 'sittings/open', { fields: KAZAKH_FIELDS });
      const id = opened!.value!.id;
      expect((await api(serve, 'recording/start', { id }))!.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 6000));
      const engine = enginePid(serve)!;
      const killedAt = Date.now();
      process.kill(engine, 'SIGKILL');
      // the supervisor starts a new engine, which takes the sitting up again by itself
      await until('the sitting recording again', async () => {
        const info = await api<{ active?: { sittingId: number; state: string } }>(serve, 'engine/info');
        return info?.value?.active?.sittingId === id && info.value.active.state === 'recording';
      });
      const restartMs = Date.now() - killedAt;
      expect(enginePid(serve)).not.toBe(engine);
      const info = await api<{ alarms: { key: string; error: { code: string; message: { kk: string } } }[] }>(serve, 'engine/info');
      const told = info!.value!.alarms.find((a) => a.key === `recovered/${id}`)!;
      expect(told.error.code).toBe('sitting-continued');
      expect(told.error.message.kk).toContain('бағдарлама тоқтап қалды');
      // the dead engine's camera is stopped by the new engine, and one camera ffmpeg records again
      const cameras = (): number[] => spawnSync('pgrep', ['-f', `${root}.*cam1\\.s`]).stdout.toString().trim().split('\n').filter(Boolean).map(Number)
        .filter((p) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('ffmpeg'); } catch { return false; } });
      await until('one camera recording again', () => cameras().length === 1 && !cameras().some((p) => !descendants(serve.child.pid!).includes(p)), 20_000);
      await new Promise((r) => setTimeout(r, 6000));
      const base = opened!.value!.base;
      const zeroWallMs = zeroWallMsOf(root, base);
      expect((await api(serve, 'recording/stop', { id }))!.ok).toBe(true);
      await until('finalized with its protocol', async () => (await detail(serve, id))?.state === 'finalized' && protocolListed(root, base), 120_000);
      playing.stop();
      const { dir, manifest } = finished(root, base);
      const sums = spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: dir, encoding: 'utf8' });
      expect(sums.status, sums.stdout + sums.stderr).toBe(0);
      expect(manifest.gaps.map((g) => g.cause)).toEqual(['program-stopped']);
      const gap = manifest.gaps[0]!;
      expect(gap.toMs - gap.fromMs).toBeGreaterThan(0);
      expect(gap.toMs - gap.fromMs).toBeLessThan(restartMs + 3000);
      const protocol = pdfText(join(dir, `${base}_protocol.pdf`)).replace(/\s+/g, ' '); // lines wrap in the PDF
      expect(protocol).toContain('бағдарлама тоқтап қалды, жазба сол отырыста жалғастырылды');
      // what was recorded before the kill is in the files: the first run reaches the moment of the kill
      for (const end of checkTwoRuns(dir, base)) {
        const lostMs = killedAt - (zeroWallMs + (end * 1000) / RATE);
        expect(lostMs).toBeLessThan(1000);
      }
      expect(manifest.files.filter((f) => f.kind === 'video')).toHaveLength(1);
    } finally {
      playing.stop();
      if (process.env.ABK_TEST_DEBUG) console.log(serve.stderr());
      serve.child.kill('SIGTERM');
      await new Promise((r) => serve.child.once('exit', r));
    }
  }, 240_000);

  it('a power cut (kill -9 of everything): the next start finalizes it, tells the secretary, and it is continued in the same sitting', async () => {
    const { sink, root, configPath, env } = await setup('power');
    const src = court.counter(sink, 20);
    const first = await startServe(configPath, env);
    const opened = await api<SittingDetail>(first, 'sittings/open', { fields: KAZAKH_FIELDS });
    const id = opened!.value!.id;
    const base = opened!.value!.base;
    let playing = court.room.card.play(sink, src.path);
    expect((await api(first, 'recording/start', { id }))!.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 5000));
    killTree(first.child.pid!);
    playing.stop();

    const second = await startServe(configPath, env);
    try {
      // the secretary is told what happened, and the files of what was recorded are made
      const notice = await until('the notice', async () => (await api<{ alarms: { key: string; error: { code: string; message: { ru: string } } }[] }>(second, 'engine/info'))?.value?.alarms.find((a) => a.key === `recovered/${id}`));
      expect(notice.error.code).toBe('sitting-interrupted');
      expect(notice.error.message.ru).toMatch(/Запись заседания 7599-24-00-2\/1234 прервалась в \d\d:\d\d:\d\d: программа остановилась\. Записанные \d+ с сохранены/);
      const partDone = async (): Promise<boolean> => (await detail(second, id))?.state === 'finalized' && protocolListed(root, base);
      await until('finalized from its segments', partDone, 120_000);
      const part = finished(root, base).dir;
      expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: part }).status).toBe(0);
      expect(await detail(second, id)).toMatchObject({ canRecord: true, continues: true });
      // continued: the same sitting, a new take
      playing = court.room.card.play(sink, src.path);
      expect((await api(second, 'recording/start', { id }))!.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 5000));
      expect((await api(second, 'recording/stop', { id }))!.ok).toBe(true);
      await until('finalized again, whole', partDone, 120_000);
      playing.stop();
      const { dir, manifest } = finished(root, base);
      const sums = spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: dir, encoding: 'utf8' });
      expect(sums.status, sums.stdout + sums.stderr).toBe(0);
      expect(manifest.gaps.map((g) => g.cause)).toEqual(['program-stopped']);
      checkTwoRuns(dir, base);
      expect(pdfText(join(dir, `${base}_protocol.pdf`))).toContain('бағдарлама тоқтап қалды');
      // the package made from the first part is kept aside whole, with its seal, not deleted
      const aside = join(root, '.superseded', base, '1');
      expect(readdirSync(aside).some((f) => f.endsWith('_mic01_judge.wav'))).toBe(true);
      expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: aside }).status).toBe(0);
      // Stop was pressed: the sitting cannot be continued, so once its files read back its working folder goes
      await until('the working folder removed', async () => !existsSync(join(root, '.work', base)), 60_000);
      expect(await detail(second, id)).toMatchObject({ canRecord: false, continues: false, state: 'finalized' });
      expect(checkTwoRuns(dir, base)).toHaveLength(2); // the package alone still plays
    } finally {
      playing.stop();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  }, 300_000);
});
