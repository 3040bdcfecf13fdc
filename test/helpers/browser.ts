/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
export const CHROMIUM = process.env.ABK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless. The page's sound goes to no speakers, and
 * an init script taps whatever the page connects to the speakers into an
 * analyser (`window.__abkOut`), so a test can measure what a listener hears.
 */
export async function openBrowser(): Promise<Browser> {
  // kept away from the virtual courtroom's PulseAudio: what the page plays must never reach the microphones
  // (and a 16-channel null sink as the speakers is no output Chromium can open); it plays into a silent output
  const env = { ...process.env, PULSE_SERVER: 'unix:/nonexistent/abk-no-speakers', ALSA_CONFIG_PATH: '/dev/null' } as Record<string, string>;
  return chromium.launch({ executablePath: CHROMIUM, args: ['--autoplay-policy=no-user-gesture-required'], env });
}

/**
 * Run before the page's own scripts (as text, for Chromium and Firefox alike):
 * whatever the page connects to the speakers is also connected to an
 * analyser, `window.__abkOut`.
 */
export const SPEAKERS_TAP = `(() => {
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (dest, ...rest) {
    if (dest instanceof AudioDestinationNode) {
      const a = dest.context.createAnalyser();
      a.fftSize = 2048;
      connect.call(this, a);
      window.__abkOut = a;
    }
    return connect.call(this, dest, ...rest);
  };
})()`;

/** An expression (a promise) for the loudest RMS in dBFS the tapped speakers got over `ms`; -Infinity before anything played. */
export const outputDbExpression = (ms: number): string => `(async () => {
  const a = window.__abkOut;
  if (!a) return -Infinity;
  const buf = new Float32Array(a.fftSize);
  let loudest = 0;
  const end = performance.now() + ${Number(ms)};
  while (performance.now() < end) {
    a.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    loudest = Math.max(loudest, Math.sqrt(sum / buf.length));
    await new Promise((r) => setTimeout(r, 20));
  }
  return loudest > 0 ? 20 * Math.log10(loudest) : -Infinity;
})()`;

export async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // functions passed to page.evaluate are compiled by tsx, which names them with a helper the page lacks
  await page.addInitScript('window.__name = (f) => f');
  await page.addInitScript(SPEAKERS_TAP);
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  page.on('dialog', (d) => void d.accept());
  return page;
}

/** The loudest RMS (dBFS) the speakers got over `ms`, read from the tapped analyser. */
export function outputDb(page: Page, ms = 400): Promise<number> {
  return page.evaluate(outputDbExpression(ms)) as Promise<number>;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
