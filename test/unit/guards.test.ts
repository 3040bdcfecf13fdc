import { describe, expect, it } from 'vitest';
import { ClockGuard } from '../../src/capture/audio/clock-guard.js';
import { Deinterleaver } from '../../src/capture/audio/deinterleave.js';
import type { BlockStats } from '../../src/capture/audio/block-stats.js';
import { SignalGuard } from '../../src/capture/audio/signal-guard.js';
import { CameraGuard } from '../../src/capture/video/camera-guard.js';
import { HealthLog } from '../../src/engine/recorder/health-log.js';
import { parseConfig } from '../../src/shared/config.js';
import { HEALTH_DEFAULTS } from '../../src/shared/health.js';

/**
 * The guards' rules on blocks made from real PCM through the deinterleaver
 * (the capture's own figures): each condition found, and the look-alikes
 * that must not be, side by side.
 */
const RATE = 48000;
const BLOCK = RATE / 10;

/** 100 ms of 24-bit mono PCM from a sample function (-1..1). */
function pcm(f: (i: number) => number): Buffer {
  const b = Buffer.alloc(BLOCK * 3);
  for (let i = 0; i < BLOCK; i++) b.writeIntLE(Math.max(-8388608, Math.min(8388607, Math.round(f(i) * 8388607))), i * 3, 3);
  return b;
}
const stats = (buf: Buffer): BlockStats => {
  const d = new Deinterleaver(1, 24, [0]);
  d.push(buf);
  return d.takeStats()[0]!;
};
let seed = 1;
const noise = (level: number) => (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return ((seed >>> 8) / 2 ** 24 - 0.5) * 2 * level; };
const speech = (i: number): number => 0.3 * Math.sin(i / 7) * Math.sin(i / 900) ** 8 + noise(0.0002)();
const zero = pcm(() => 0);
const floor = pcm(noise(0.0001));
const talk = pcm(speech);

type Found = { stem: string; code: string; on: boolean };
function run(cfg: Partial<typeof HEALTH_DEFAULTS>, seconds: number, blocks: (t: number) => Record<string, Buffer>, unwatched: string[] = []): Found[] {
  const found: Found[] = [];
  const first = blocks(0);
  const g = new SignalGuard({ ...HEALTH_DEFAULTS, ...cfg }, Object.keys(first), unwatched, (stem, code, on) => found.push({ stem, code, on }));
  for (let t = 0; t < seconds * 10; t++) g.block(t * 100, new Map(Object.entries(blocks(t)).map(([k, v]) => [k, stats(v)])));
  return found;
}

describe('signal guard', () => {
  it('digital silence while another speaks is a dead microphone; while nobody speaks, or on a seat marked unused, it is not', () => {
    expect(run({ deadSeconds: 5 }, 6, () => ({ a: zero, b: talk }))).toEqual([{ stem: 'a', code: 'mic-dead', on: true }]);
    expect(run({ deadSeconds: 5 }, 4.8, () => ({ a: zero, b: talk }))).toEqual([]); // not before its time
    expect(run({ deadSeconds: 5 }, 10, () => ({ a: zero, b: floor }))).toEqual([]);
    expect(run({ deadSeconds: 5 }, 10, () => ({ a: zero, b: talk }), ['a'])).toEqual([]);
    // a live microphone not spoken into hears its own noise: not dead
    expect(run({ deadSeconds: 5 }, 10, () => ({ a: floor, b: talk }))).toEqual([]);
    // and the signal coming back ends it
    expect(run({ deadSeconds: 2 }, 4, (t) => ({ a: t < 30 ? zero : floor, b: talk }))).toEqual([
      { stem: 'a', code: 'mic-dead', on: true }, { stem: 'a', code: 'mic-dead', on: false }]);
  });

  it('only the noise floor for long while others speak is told, later than silence', () => {
    expect(run({ quietSeconds: 10 }, 11, () => ({ a: floor, b: talk }))).toEqual([{ stem: 'a', code: 'mic-quiet', on: true }]);
    expect(run({ quietSeconds: 10 }, 11, (t) => ({ a: t % 50 === 0 ? talk : floor, b: talk }))).toEqual([]);
  });

  it('clipping is a share of samples at full scale; loud speech just under it is not', () => {
    const clipped = pcm((i) => Math.max(-1, Math.min(1, 3 * Math.sin(i / 7))));
    const loud = pcm((i) => 0.95 * Math.sin(i / 7));
    expect(run({}, 2, () => ({ a: clipped }))).toEqual([{ stem: 'a', code: 'mic-clipping', on: true }]);
    expect(run({}, 5, () => ({ a: loud }))).toEqual([]);
  });

  it('a DC offset and a steady hum are found; speech with the same level is neither', () => {
    expect(run({ dcWindowSeconds: 1 }, 2, () => ({ a: pcm(() => 0.1 + noise(0.001)()) }))).toContainEqual({ stem: 'a', code: 'mic-dc', on: true });
    // a signal that only happens to have a mean (the tests' counter ramp, all positive) is not a stuck offset
    expect(run({ dcWindowSeconds: 1 }, 2, () => ({ a: pcm((i) => (i % 4000) / 4000) }))).not.toContainEqual({ stem: 'a', code: 'mic-dc', on: true });
    const hum = pcm((i) => 0.05 * Math.sin((2 * Math.PI * 50 * i) / RATE));
    expect(run({ humSeconds: 5 }, 6, () => ({ a: hum }))).toEqual([{ stem: 'a', code: 'mic-hum', on: true }]);
    expect(run({ humSeconds: 5, dcWindowSeconds: 1 }, 6, () => ({ a: talk }))).toEqual([]);
  });
});

describe('clock guard', () => {
  /** A card delivering `ratio` × the nominal rate in 1024-frame buffers, arriving a little late at random, with `lost` frames missing from `lostAt` s. */
  function feed(seconds: number, ratio: number, lost = 0, lostAt = Infinity): { code: string; on: boolean; value: number }[] {
    const found: { code: string; on: boolean; value: number }[] = [];
    const g = new ClockGuard({ ...HEALTH_DEFAULTS, clockWindowSeconds: 2, driftAfterSeconds: 20 }, RATE, (code, on, value) => found.push({ code, on, value }));
    g.begin(1000);
    for (let ms = 0; ms <= seconds * 1000; ms += 100) {
      const produced = Math.floor((ms * RATE * ratio) / 1000 / 1024) * 1024 - (ms >= lostAt * 1000 ? lost : 0);
      g.sample(1000 + ms + 20 + (ms % 700 === 0 ? 300 : 0), produced);
    }
    return found;
  }

  it('samples lost are told with how many, once even when the loss spans two windows; a card on time, and loop delays alone, raise nothing', () => {
    expect(feed(30, 1)).toEqual([]);
    // 200 ms lost half before a window's edge (at 10 s with 2 s windows), half after
    // (the sample of `ms` arrives at the monotonic 1000 + ms + 20: a loss from `ms` on is told as of a moment just before 1020 + ms)
    const split: { code: string; on: boolean; value: number; atMono: number }[] = [];
    const g = new ClockGuard({ ...HEALTH_DEFAULTS, clockWindowSeconds: 2, driftAfterSeconds: 20 }, RATE, (code, on, value, atMono) => split.push({ code, on, value, atMono }));
    g.begin(1000);
    for (let ms = 0; ms <= 30_000; ms += 100) g.sample(1000 + ms + 20, Math.floor((ms * RATE) / 1000) - (ms >= 9900 ? 4800 : 0) - (ms >= 10_100 ? 4800 : 0));
    expect(split.map((f) => [f.code, Math.round(f.value / 10) * 10])).toEqual([['audio-samples-lost', 200]]);
    expect(split[0]!.atMono).toBe(1000 + 9800 + 20); // the last sample before the first half was lost
    // 200 ms lost in the middle of a window, then a whole window late by 30 ms (a busy machine): the loss alone,
    // found at the first window after it and told as of when it happened, not of when it was found
    const busy: { code: string; value: number; at: number; atMono: number }[] = [];
    let now = 0;
    const h = new ClockGuard({ ...HEALTH_DEFAULTS, clockWindowSeconds: 2, driftAfterSeconds: 20 }, RATE, (code, _on, value, atMono) => busy.push({ code, value, at: now, atMono }));
    h.begin(1000);
    for (let ms = 0; ms <= 30_000; ms += 100) {
      now = ms;
      h.sample(1000 + ms + 20 + (ms > 12_000 && ms <= 14_000 ? 30 : 0), Math.floor((ms * RATE) / 1000) - (ms >= 9000 ? 9600 : 0));
    }
    expect(busy.map((f) => [f.code, Math.round(f.value / 10) * 10])).toEqual([['audio-samples-lost', 200]]);
    expect(busy[0]!.at).toBeGreaterThan(11_000); // found only once a window's least lag has moved…
    expect(busy[0]!.at).toBeLessThanOrEqual(12_100);
    expect(busy[0]!.atMono).toBe(1000 + 8900 + 20); // …told as of the last sample before it
    const lost = feed(30, 1, 9600, 10);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.code).toBe('audio-samples-lost');
    expect(lost[0]!.value).toBeGreaterThan(180);
    expect(lost[0]!.value).toBeLessThan(220);
  });

  it('a clock off by 1000 ppm is drift; 100 ppm is not', () => {
    expect(feed(60, 1.001).map((f) => f.code)).toEqual(['audio-clock-drift']);
    expect(feed(60, 1.0001)).toEqual([]);
  });

  it('measures how fast the card runs against the system clock (what finalize scales the video by), once it has run long enough', () => {
    const measure = (ratio: number, seconds: number): number | undefined => {
      const g = new ClockGuard({ ...HEALTH_DEFAULTS, clockWindowSeconds: 2, driftAfterSeconds: 20 }, RATE, () => undefined);
      g.begin(1000);
      for (let ms = 0; ms <= seconds * 1000; ms += 100) g.sample(1000 + ms + 20 + (ms % 700 === 0 ? 300 : 0), Math.floor((ms * RATE * ratio) / 1000 / 1024) * 1024);
      return g.cardPpm();
    };
    expect(measure(1.00005, 10)).toBeUndefined();
    expect(measure(1.00005, 600)).toBeGreaterThan(45);
    expect(measure(1.00005, 600)).toBeLessThan(55);
    expect(measure(1 - 0.0002, 600)).toBeGreaterThan(-205);
    expect(measure(1 - 0.0002, 600)).toBeLessThan(-195);
  });
});

describe('camera guard', () => {
  it('freezedetect and blackframe lines become findings that begin and end', () => {
    const found: string[] = [];
    const g = new CameraGuard({ freezeSeconds: 3, blackSeconds: 3, minFpsShare: 0.5 }, 25, (code, on) => found.push(`${code} ${on}`));
    g.line('[freezedetect @ 0x1] lavfi.freezedetect.freeze_start: 12', 0);
    g.line('[freezedetect @ 0x1] lavfi.freezedetect.freeze_end: 20', 1000);
    for (let t = 2000; t <= 5000; t += 1000) g.line(`[Parsed_blackframe_2 @ 0x5] frame:${t / 1000} pblack:100 pts:1 t:1.0 type:P last_keyframe:0`, t);
    g.tick(9000);
    expect(found).toEqual(['camera-frozen true', 'camera-frozen false', 'camera-black true', 'camera-black false']);
  });

  it('a frame rate under half the camera\'s is told; the full rate is not', () => {
    const slow: string[] = [];
    const g = new CameraGuard({ freezeSeconds: 3, blackSeconds: 3, minFpsShare: 0.5 }, 25, (code, on, _at, v) => slow.push(`${code} ${on} ${v}`));
    for (let t = 0; t <= 6000; t += 500) { g.progress(1 + Math.round(t * 0.01), t); g.tick(t); }
    expect(slow).toEqual(['camera-fps-low true 10']);
    const fine: string[] = [];
    const h = new CameraGuard({ freezeSeconds: 3, blackSeconds: 3, minFpsShare: 0.5 }, 25, (code) => fine.push(code));
    for (let t = 0; t <= 6000; t += 500) { h.progress(1 + Math.round(t * 0.025), t); h.tick(t); }
    expect(fine).toEqual([]);
  });
});

describe('health thresholds in the configuration', () => {
  const base = { recordingsRoot: '/r', audio: { devices: [{ name: 'x', channels: [{ channel: 1, seat: 'judge' }] }] } };
  it('defaults apply, a good value is kept, and a bad one is refused naming the field', () => {
    const ok = parseConfig({ ...base, health: { deadSeconds: 30 } });
    expect(ok.ok && ok.value.health.deadSeconds).toBe(30);
    expect(ok.ok && ok.value.health.clipShare).toBe(0.001);
    const bad = parseConfig({ ...base, health: { deadSeconds: -5 } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/health\.deadSeconds/);
    const crossed = parseConfig({ ...base, health: { quietDb: -30, speechDb: -40 } });
    expect(!crossed.ok && crossed.error).toMatch(/health\.quietDb.*below speechDb/);
  });
});

describe('findings rebuilt from the events log', () => {
  it('a crashed sitting keeps what the guards found: begun and ended pairs, an instant, one still open, and nothing from torn or foreign lines', () => {
    const events = [
      { type: 'finding', source: 'audio', subject: 'mic03_prosecutor', code: 'mic-dead', on: true, wallMs: 1000, atMs: 100 },
      { type: 'finding', source: 'audio', subject: 'mic03_prosecutor', code: 'mic-dead', on: true, wallMs: 1500, atMs: 600 }, // told again while open: one finding
      { type: 'finding', source: 'audio', subject: 'mic03_prosecutor', code: 'mic-dead', on: false, wallMs: 4000, atMs: 3100 },
      { type: 'finding', source: 'audio', subject: 'dev1', code: 'audio-samples-lost', on: true, value: 200, wallMs: 5000, atMs: 4100, instant: true },
      { type: 'finding', source: 'camera', subject: 'cam1', code: 'camera-frozen', on: true, wallMs: 6000, atMs: 5100 },
      { type: 'finding', source: 'audio', subject: 'x', code: 'not-a-code', on: true, wallMs: 7000, atMs: 6100 },
      { type: 'problem', source: 'audio', subject: 'x', wallMs: 7000 },
      { type: 'finding', source: 'audio', subject: 'y', code: 'mic-dc', on: true, wallMs: 7000 }, // written before findings had a place on the timeline
    ];
    expect(HealthLog.fromEvents(events)).toEqual([
      { source: 'audio', subject: 'mic03_prosecutor', code: 'mic-dead', fromMs: 100, toMs: 3100 },
      { source: 'audio', subject: 'dev1', code: 'audio-samples-lost', fromMs: 4100, toMs: 4100, value: 200 },
      { source: 'camera', subject: 'cam1', code: 'camera-frozen', fromMs: 5100, toMs: null },
    ]);
  });
});
