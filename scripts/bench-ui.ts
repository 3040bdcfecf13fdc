/// <reference lib="dom" />
/**
 * npm run bench:ui
 *
 * The UI against the real engine and the virtual courtroom (16 microphones),
 * in Debian's Chromium:
 *  - key press to mark on screen as "saving…", and to the engine's
 *    confirmation (median, p95), while 16 channels record;
 *  - the meters' frame rate, and the level readings per second on the socket;
 *  - time to first audio in the player for a four-hour sitting (its
 *    16-channel listening copy made four hours long), from the start and
 *    after a seek to 3:30:00.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { VIRTUAL_SEATS } from '../src/capture/virtual-courtroom/courtroom.js';
import { writeVoicesWav } from '../src/capture/virtual-courtroom/voices.js';
import { listeningDir, listeningFiles } from '../src/engine/listening/listening-copy.js';
import type { PlayerInfo, SittingDetail } from '../src/shared/api/contract.js';
import { newPage, openBrowser } from '../test/helpers/browser.js';
import { TestCourtroom } from '../test/helpers/courtroom.js';
import { KAZAKH_FIELDS, post, startEngine } from '../test/helpers/engine.js';

const CHANNELS = 16;
const PRESSES = Number(process.env.ABK_BENCH_PRESSES ?? 60);
const HOURS = 4;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const say = (s: string): void => void process.stdout.write(`${s}\n`);

execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-ui.ts'], { stdio: 'ignore' });
const court = new TestCourtroom();
const sink = await court.sink(CHANNELS, 16);
const voices = join(court.dir, 'voices.wav');
await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, CHANNELS), 120);
const engine = await startEngine(court, court.room.config(court.recordings, sink, { camera: 'test' }));
const playing = court.room.card.play(sink, voices);
const browser = await openBrowser();
try {
  const page = await newPage(browser);
  const opened = (await post(engine.server, 'sittings/open', { fields: KAZAKH_FIELDS })).json.value as SittingDetail;
  await post(engine.server, 'recording/start', { id: opened.id });
  // levels on the socket, as the UI gets them
  const ws = new WebSocket(`ws://127.0.0.1:${engine.server.port}/api/events`, { headers: { authorization: `Bearer ${engine.server.token}` } });
  let readings = 0;
  ws.on('message', (m) => { if (String(m).startsWith('{"type":"levels"')) readings++; });
  await page.goto(`${engine.server.url}#token=${engine.server.token}`);
  await page.waitForSelector('[data-testid=recording-state]');
  await page.evaluate(() => {
    const w = window as unknown as { __presses: number[]; __shown: number[]; __confirmed: number[] };
    w.__presses = [];
    w.__shown = [];
    w.__confirmed = [];
    window.addEventListener('keydown', (e) => w.__presses.push(e.timeStamp), true);
    // a press shows its mark as "saving…" (data-pending), then the engine's answer turns it into the saved mark (data-mark-id)
    new MutationObserver((records) => {
      const now = performance.now();
      for (const r of records) {
        r.addedNodes.forEach((n) => {
          if (!(n instanceof HTMLElement)) return;
          if (n.dataset.pending === 'saving') w.__shown.push(now);
          if (n.dataset.markId) w.__confirmed.push(now);
        });
      }
    }).observe(document.querySelector('[data-testid=marks]')!, { childList: true });
  });
  await page.waitForTimeout(3000);
  const fps: number[] = [];
  const r0 = readings;
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(1000);
    fps.push(Number(await page.getAttribute('[data-testid=meters]', 'data-fps')));
  }
  const perSecond = ((readings - r0) * 1000) / (Date.now() - t0);
  for (let i = 0; i < PRESSES; i++) {
    await page.keyboard.press(String((i % 9) + 1));
    await page.waitForTimeout(250);
  }
  await page.waitForFunction((n) => (window as unknown as { __confirmed: number[] }).__confirmed.length >= n, PRESSES, { timeout: 30_000 });
  const { presses, shown, confirmed, pendingLeft } = await page.evaluate(() => {
    const w = window as unknown as { __presses: number[]; __shown: number[]; __confirmed: number[] };
    return { presses: w.__presses, shown: w.__shown, confirmed: w.__confirmed, pendingLeft: document.querySelectorAll('[data-testid=marks] [data-pending]').length };
  });
  if (shown.length !== PRESSES || confirmed.length !== PRESSES || pendingLeft !== 0) throw new Error(`${PRESSES} presses, ${shown.length} shown, ${confirmed.length} confirmed, ${pendingLeft} still pending`);
  const lat = presses.map((p, i) => shown[i]! - p);
  const conf = presses.map((p, i) => confirmed[i]! - p);
  const figures = (xs: number[]): string => `median ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
  say(`key press → mark on screen as "saving…" (${PRESSES} presses, ${CHANNELS} channels recording): ${figures(lat)} (goal p95 < 50 ms)`);
  say(`key press → mark confirmed saved by the engine:                ${figures(conf)}`);
  say(`meters while recording ${CHANNELS} channels: ${pct(fps, 50)} frames/s (min ${Math.min(...fps)}), level readings on the socket: ${perSecond.toFixed(1)}/s`);
  ws.close();

  await post(engine.server, 'recording/stop', { id: opened.id });
  let info: PlayerInfo | undefined;
  for (let i = 0; i < 600; i++) {
    const r = await post(engine.server, 'player/info', { id: opened.id });
    info = r.json.ok ? (r.json.value as PlayerInfo) : undefined;
    if (info?.listen.state === 'ready') break;
    await new Promise((res) => setTimeout(res, 500));
  }
  if (info?.listen.state !== 'ready') throw new Error('the listening copy was not made');
  // the sitting made four hours long: its listening copy looped without re-encoding, its peaks repeated
  const files = listeningFiles(listeningDir(court.recordings, info.base));
  const t4 = Date.now();
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', '-1', '-i', files.webm, '-t', String(HOURS * 3600), '-c', 'copy', '-f', 'webm', '-cues_to_front', '1', `${files.webm}.4h`]);
  renameSync(`${files.webm}.4h`, files.webm);
  const peaks = readFileSync(files.peaks);
  const long = Buffer.alloc(HOURS * 3600 * 50);
  for (let o = 0; o < long.length; o += peaks.length) peaks.copy(long, o);
  writeFileSync(files.peaks, long);
  const size = Number(execFileSync('stat', ['-c', '%s', files.webm]).toString());
  say(`four-hour listening copy: ${(size / 1e9).toFixed(2)} GB, ${CHANNELS} channels (made by looping in ${((Date.now() - t4) / 1000).toFixed(1)} s)`);

  // "first audio": the media clock has moved past where playing began, and the speakers' tap is not silent
  const p = await newPage(browser);
  await p.goto(`${engine.server.url}#token=${engine.server.token}`);
  await p.click('button[name=nav-library]');
  await p.click(`[data-testid=library] tr[data-sitting="${opened.id}"]`);
  const opening = Date.now();
  await p.click('.detail button[name=play]');
  await p.waitForSelector('button[name=play]:not([disabled])');
  await p.waitForFunction(() => (document.querySelector('[data-testid=listen]') as HTMLAudioElement).readyState >= 1);
  const toReady = Date.now() - opening;
  const measure = (seekS: number | undefined): Promise<{ ms: number; heard: boolean }> => p.evaluate((seekS) => new Promise((resolve) => {
    const a = document.querySelector('[data-testid=listen]') as HTMLAudioElement;
    const t0 = performance.now();
    const from = seekS ?? 0;
    if (seekS === undefined) (document.querySelector('button[name=play]') as HTMLButtonElement).click();
    else a.currentTime = seekS;
    const buf = new Float32Array(2048);
    let heard = false;
    const poll = (): void => {
      const out = (window as unknown as { __abkOut?: AnalyserNode }).__abkOut;
      out?.getFloatTimeDomainData(buf);
      heard ||= buf.some((v) => Math.abs(v) > 1e-4);
      if (!a.paused && a.currentTime > from + 0.02) resolve({ ms: performance.now() - t0, heard });
      else if (performance.now() - t0 > 20_000) resolve({ ms: NaN, heard });
      else setTimeout(poll, 2);
    };
    poll();
  }), seekS);
  const fromStart = await measure(undefined);
  await p.waitForTimeout(1000);
  const afterSeek = await measure(3.5 * 3600);
  await p.waitForTimeout(500);
  const heard = await p.evaluate(() => {
    const out = (window as unknown as { __abkOut?: AnalyserNode }).__abkOut!;
    const buf = new Float32Array(2048);
    out.getFloatTimeDomainData(buf);
    return buf.some((v) => Math.abs(v) > 1e-4);
  });
  say(`player, ${HOURS}-hour sitting: ready to play ${toReady} ms after opening it; first audio ${fromStart.ms.toFixed(0)} ms after Play; ${afterSeek.ms.toFixed(0)} ms after a seek to 3:30:00 (goal < 1000 ms); sound at the speakers: ${heard || fromStart.heard ? 'yes' : 'no'}`);
} finally {
  playing.stop();
  await browser.close();
  await engine.close();
  await court.close();
}
