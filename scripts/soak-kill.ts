/**
 * npm run soak:kill [-- --kills N] [--seed S]
 *
 * Random SIGKILLs (100 by default; CI runs 5) at random moments of recording,
 * pausing, stopping and finalizing, spread over three targets: the engine
 * (`abk engine` under the `abk serve` supervisor, which restarts it), the audio
 * capture process alone (the engine restarts it), and one ffmpeg alone (a
 * camera, the live mix, or one of finalize's). Sittings run one after another
 * on the virtual courtroom, each with a few kills, and must all end finalized
 * with `md5sum -c MD5SUMS` passing and every microphone file holding the
 * counter signal exactly. The audio lost per kill (recorded before the kill
 * but not in the files) must be at most 1 s.
 *
 * Prints the distribution of the loss, of restart-to-recording time (engine
 * kills), and of the gap per kill. Exit 0 when every check held.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SittingSummary } from '../src/engine/recorder/recorder-types.js';
import type { SittingDetail } from '../src/shared/api/contract.js';
import { TestCourtroom } from '../test/helpers/courtroom.js';
import { counterRuns } from '../test/helpers/counter-check.js';
import { KAZAKH_FIELDS } from '../test/helpers/engine.js';
import { descendants } from '../test/helpers/kill-tree.js';
import { api, enginePid, startServe, until, type Served } from '../test/helpers/serve.js';
import { readWav } from '../test/helpers/wav.js';

const { values } = parseArgs({ options: { kills: { type: 'string', default: '100' }, seed: { type: 'string', default: String(Date.now() % 100_000) } } });
const KILLS = Number(values.kills);
let seed = Number(values.seed);
/** A small seeded generator, so a failing run can be repeated with --seed. */
const rand = (): number => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed / 2 ** 31; };
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const RATE = 48000;

type Target = 'engine' | 'capture' | 'ffmpeg';
type Phase = 'recording' | 'paused' | 'stopping' | 'finalizing';
interface Kill { sitting: number; target: Target; phase: Phase; pid: number; wallMs: number; stopWallMs?: number; restartMs?: number }

const cmdline = (pid: number): string => { try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { return ''; } };

/** The pid a target names now, under the engine of `serve`; undefined when there is none (no ffmpeg running, say). */
function victim(serve: Served, target: Target): number | undefined {
  if (target === 'engine') return enginePid(serve);
  const engine = enginePid(serve);
  if (!engine) return undefined;
  const kids = descendants(engine);
  const found = kids.filter((p) => (target === 'capture' ? cmdline(p).includes('capture-process') : cmdline(p).split('\0')[0]!.endsWith('ffmpeg')));
  return found.length > 0 ? pick(found) : undefined;
}

async function killNow(serve: Served, k: Omit<Kill, 'pid' | 'wallMs'>): Promise<Kill | undefined> {
  const pid = victim(serve, k.target) ?? victim(serve, 'engine');
  if (!pid) return undefined;
  const target = enginePid(serve) === pid ? 'engine' : k.target;
  const wallMs = Date.now();
  process.kill(pid, 'SIGKILL');
  return { ...k, target, pid, wallMs };
}

const state = async (s: Served, id: number): Promise<string | undefined> => (await api<SittingDetail>(s, 'sittings/get', { id }))?.value?.state;

/** After an engine kill: how long until the engine records the sitting again (or is back at all, when it was not recording). */
async function backAfter(serve: Served, k: Kill, id: number, expectActive: boolean): Promise<void> {
  await until('the engine back', async () => {
    const info = await api<{ active?: { sittingId: number; state: string } }>(serve, 'engine/info');
    if (!info?.ok) return false;
    return !expectActive || info.value?.active?.sittingId === id;
  }, 60_000);
  if (k.target === 'engine') k.restartMs = Date.now() - k.wallMs;
}

async function runSitting(serve: Served, n: number, kills: Kill[], budget: number): Promise<{ id: number; base: string }> {
  const opened = await api<SittingDetail>(serve, 'sittings/open', { fields: { ...KAZAKH_FIELDS, caseNumber: `soak-${n}` } });
  if (!opened?.ok) throw new Error(`could not open a sitting: ${JSON.stringify(opened)}`);
  const { id, base } = opened.value!;
  const started = await api(serve, 'recording/start', { id });
  if (!started?.ok) throw new Error(`could not start: ${JSON.stringify(started)}`);
  let left = Math.min(budget, 1 + Math.floor(rand() * 3));
  while (left > 1 || (left === 1 && rand() < 0.5)) {
    await sleep(2500 + rand() * 3000);
    const phase: Phase = rand() < 0.25 ? 'paused' : 'recording';
    if (phase === 'paused') { await api(serve, 'recording/pause', { id }); await sleep(500 + rand() * 1000); }
    const k = await killNow(serve, { sitting: id, target: pick(['engine', 'capture', 'ffmpeg'] as const), phase });
    if (k) {
      kills.push(k);
      left -= 1;
      if (k.target === 'engine') await backAfter(serve, k, id, true);
      else await sleep(2500);
    }
    if (phase === 'paused') {
      await until('resumed', async () => (await api(serve, 'recording/resume', { id }))?.ok === true, 30_000);
    }
  }
  await sleep(2000 + rand() * 2000);
  if (left > 0) {
    // the last kill at the end of the sitting: while it stops, or while it finalizes
    const phase: Phase = rand() < 0.5 ? 'stopping' : 'finalizing';
    const stopWallMs = Date.now();
    const stop = api(serve, 'recording/stop', { id });
    if (phase === 'stopping') await sleep(rand() * 400);
    else { await stop; await sleep(rand() * 1500); }
    const k = await killNow(serve, { sitting: id, target: phase === 'stopping' ? 'engine' : pick(['engine', 'ffmpeg'] as const), phase, stopWallMs });
    if (k) { kills.push(k); if (k.target === 'engine') await backAfter(serve, k, id, false); }
    await stop;
  } else {
    const r = await api(serve, 'recording/stop', { id });
    if (!r?.ok) throw new Error(`stop failed: ${JSON.stringify(r)}`);
  }
  return { id, base };
}

/** The finished folder of a sitting (recordings root / year / case / base). */
function finalDir(root: string, base: string): string | undefined {
  for (const year of readdirSync(root).filter((f) => /^\d{4}$/.test(f))) {
    for (const slug of readdirSync(join(root, year))) {
      if (readdirSync(join(root, year, slug)).includes(base)) return join(root, year, slug, base);
    }
  }
  return undefined;
}

const q = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const dist = (name: string, xs: number[], unit = 'ms'): string => xs.length === 0 ? `${name}: none` : `${name}: n=${xs.length} median ${q(xs, 0.5).toFixed(0)} ${unit}, p95 ${q(xs, 0.95).toFixed(0)} ${unit}, max ${Math.max(...xs).toFixed(0)} ${unit}`;

async function main(): Promise<void> {
  const court = new TestCourtroom();
  const failures: string[] = [];
  const kills: Kill[] = [];
  const losses: number[] = [];
  const gaps: number[] = [];
  const sittings: { id: number; base: string }[] = [];
  const t0 = Date.now();
  let serve: Served | undefined;
  try {
    const sink = await court.sink(2, 24);
    const src = court.counter(sink, 20); // shorter than the 24-bit counter's period: every loop of it is exact
    const root = join(court.dir, 'recordings-soak');
    const configPath = join(court.dir, 'soak.json');
    writeFileSync(configPath, JSON.stringify(court.room.config(root, sink, { camera: 'test' })));
    let playing = true;
    const loop = (): void => { if (!playing) return; void court.room.card.play(sink, src.path).done.catch((e: Error) => process.stdout.write(`  the counter's playback ended (${e.message}); starting it again\n`)).then(loop); };
    loop();
    serve = await startServe(configPath, { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! });
    process.stdout.write(`soak:kill — ${KILLS} kills, seed ${values.seed}\n`);
    for (let n = 1; kills.length < KILLS; n++) {
      const s = await runSitting(serve, n, kills, KILLS - kills.length);
      sittings.push(s);
      process.stdout.write(`  sitting ${n}: ${kills.filter((k) => k.sitting === s.id).map((k) => `${k.target}@${k.phase}`).join(', ') || 'no kill'}\n`);
    }
    for (const s of sittings) {
      try {
        await until(`sitting ${s.base} finalized`, async () => (await state(serve!, s.id)) === 'finalized' && finalDir(root, s.base) !== undefined
          // the protocol's manifest revision in place (MD5SUMS, written last, lists its PDF), and the working folder gone after the read-back
          && readFileSync(join(finalDir(root, s.base)!, 'MD5SUMS'), 'utf8').includes(`${s.base}_protocol.pdf`)
          && !existsSync(join(root, '.work', s.base)), 240_000);
      } catch (e) {
        failures.push(`${s.base}: ${(e as Error).message} (state ${await state(serve, s.id)})`);
        continue;
      }
      const dir = finalDir(root, s.base)!;
      const md5 = spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: dir, encoding: 'utf8' });
      if (md5.status !== 0) failures.push(`${s.base}: md5sum -c failed: ${md5.stdout}${md5.stderr}`);
      for (const [ch, stem] of ['mic01_judge', 'mic02_secretary'].entries()) {
        const runs = counterRuns(readWav(join(dir, `${s.base}_${stem}.wav`)).samples, ch, 24);
        // a run breaks at a gap, a break, and where the 20 s source loops (paplay starts it again); a sample that
        // is no counter value at all, or a torn frame, makes a run of a few samples
        const torn = runs.filter((r) => r.length < 16);
        if (torn.length > 0) failures.push(`${s.base} ${stem}: ${torn.length} sample(s) that are not the counter, e.g. at sample ${torn[0]!.at}`);
      }
      // what it was finalized from: kept in .logs/<base> once its working folder is removed
      const summary = JSON.parse(readFileSync(join(root, '.logs', s.base, 'sitting.finalized.json'), 'utf8')) as SittingSummary;
      const master = summary.takes.filter((t) => t.device === summary.devices[0]!.key).sort((a, b) => a.startSample - b.startSample);
      for (const k of kills.filter((x) => x.sitting === s.id)) {
        const at = ((Math.min(k.wallMs, k.stopWallMs !== undefined ? k.stopWallMs + 300 : Infinity) - summary.zeroWallMs) * RATE) / 1000;
        const take = [...master].reverse().find((t) => t.startSample <= at);
        const next = master.find((t) => t.startSample > at);
        if (take && next && k.target !== 'ffmpeg') gaps.push(((next.startSample - (take.startSample + take.frames)) * 1000) / RATE);
        // recorded before the kill, missing from the files (a break records nothing, so it loses nothing)
        if (k.phase !== 'paused' && take && k.phase !== 'finalizing') {
          const lost = Math.max(0, ((at - (take.startSample + take.frames)) * 1000) / RATE);
          losses.push(lost);
          if (lost > 1000) failures.push(`${s.base}: ${lost.toFixed(0)} ms lost at the ${k.target} kill while ${k.phase}`);
        }
      }
    }
    playing = false;
  } catch (e) {
    failures.push(`soak stopped: ${(e as Error).stack ?? String(e)}`);
  } finally {
    if (serve) { serve.child.kill('SIGTERM'); await new Promise((r) => serve!.child.once('exit', r)); }
    if (process.env.ABK_SOAK_KEEP) process.stdout.write(`kept: ${court.dir}\n`);
    else await court.close();
  }
  const by = (t: Target): number => kills.filter((k) => k.target === t).length;
  process.stdout.write(`\n${kills.length} kills over ${sittings.length} sittings in ${((Date.now() - t0) / 60_000).toFixed(1)} min: engine ${by('engine')}, capture ${by('capture')}, ffmpeg ${by('ffmpeg')}\n`);
  process.stdout.write(`phases: ${(['recording', 'paused', 'stopping', 'finalizing'] as const).map((p) => `${p} ${kills.filter((k) => k.phase === p).length}`).join(', ')}\n`);
  process.stdout.write(`${dist('audio lost per kill', losses)}\n`);
  process.stdout.write(`${dist('engine kill → recording again', kills.flatMap((k) => (k.restartMs !== undefined && (k.phase === 'recording' || k.phase === 'paused') ? [k.restartMs] : [])))}\n`);
  process.stdout.write(`${dist('gap on the timeline per kill', gaps)}\n`);
  process.stdout.write(`sittings finalized and verified: ${sittings.length - new Set(failures.map((f) => f.split(':')[0])).size}/${sittings.length}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\nFAILED:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write('soak:kill passed\n');
}

await main();
