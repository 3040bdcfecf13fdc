import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';

export const FIREFOX = process.env.ABK_FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * Debian's Firefox ESR driven over WebDriver BiDi, which it speaks itself
 * (playwright drives only its own patched Firefox): headless, a profile of
 * its own that lets media play without a click, and the same tap as the
 * Chromium tests put on what the page sends to the speakers.
 */
export class Firefox {
  private constructor(private readonly child: ChildProcess, private readonly ws: WebSocket, private readonly profile: string, readonly context: string) {}
  private id = 0;
  private readonly pending = new Map<number, (m: { type: string; result?: unknown; error?: string; message?: string }) => void>();

  static async open(): Promise<Firefox> {
    const profile = mkdtempSync(join(tmpdir(), 'abk-firefox-'));
    writeFileSync(join(profile, 'user.js'), ['user_pref("media.autoplay.default", 0);', 'user_pref("media.autoplay.blocking_policy", 0);', 'user_pref("media.autoplay.block-webaudio", false);',
      // no speakers: Firefox's own null audio output, whose clock runs as a sound card's would
      'user_pref("media.cubeb.force_null_context", true);', 'user_pref("browser.shell.checkDefaultBrowser", false);'].join('\n'));
    const child = spawn(FIREFOX, ['--headless', '--remote-debugging-port=0', '--profile', profile, '--no-remote'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PULSE_SERVER: 'unix:/nonexistent/abk-no-speakers' } });
    const url = await new Promise<string>((resolve, reject) => {
      let log = '';
      const t = setTimeout(() => reject(new Error(`Firefox did not start WebDriver BiDi: ${log.slice(-500)}`)), 30_000);
      child.stderr!.on('data', (c: Buffer) => {
        log += c.toString();
        const m = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(log);
        if (m) { clearTimeout(t); resolve(m[1]!); }
      });
      child.once('exit', (code) => { clearTimeout(t); reject(new Error(`Firefox exited (${code}): ${log.slice(-500)}`)); });
    });
    const ws = new WebSocket(`${url}/session`);
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    const ff = new Firefox(child, ws, profile, '');
    ws.on('message', (data: Buffer) => {
      const m = JSON.parse(data.toString()) as { id?: number; type: string };
      if (m.id !== undefined) { ff.pending.get(m.id)?.(m); ff.pending.delete(m.id); }
    });
    await ff.send('session.new', { capabilities: {} });
    const tree = await ff.send('browsingContext.getTree', {}) as { contexts: { context: string }[] };
    return Object.assign(ff, { context: tree.contexts[0]!.context });
  }

  async send(method: string, params: unknown): Promise<unknown> {
    const id = ++this.id;
    const reply = await new Promise<{ type: string; result?: unknown; error?: string; message?: string }>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
    if (reply.type !== 'success') throw new Error(`${method}: ${reply.error}: ${reply.message}`);
    return reply.result;
  }

  /** A script run in every page before its own (the speakers' tap). */
  async preload(fn: string): Promise<void> {
    await this.send('script.addPreloadScript', { functionDeclaration: fn });
  }

  async goto(url: string): Promise<void> {
    await this.send('browsingContext.navigate', { context: this.context, url, wait: 'complete' });
  }

  /** An expression's value in the page (awaited when it is a promise); only JSON-like values. */
  async eval<T>(expression: string): Promise<T> {
    const r = await this.send('script.evaluate', { expression, target: { context: this.context }, awaitPromise: true }) as { type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } };
    if (r.type === 'exception') throw new Error(`in the page: ${r.exceptionDetails?.text}`);
    return r.result?.value as T;
  }

  async setFiles(selector: string, files: string[]): Promise<void> {
    const r = await this.send('script.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})`, target: { context: this.context }, awaitPromise: false }) as { result: { sharedId: string } };
    await this.send('input.setFiles', { context: this.context, element: { sharedId: r.result.sharedId }, files });
  }

  /** A click as a person makes it (a trusted event: the page may start sound on it). */
  async click(selector: string): Promise<void> {
    const r = await this.send('script.evaluate', { expression: `(() => { const e = document.querySelector(${JSON.stringify(selector)}); e.scrollIntoView({ block: 'center' }); return e; })()`, target: { context: this.context }, awaitPromise: false }) as { result: { sharedId: string } };
    await this.send('input.performActions', { context: this.context, actions: [{ type: 'pointer', id: 'mouse', actions: [
      { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element: { sharedId: r.result.sharedId } } },
      { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 },
    ] }] });
  }

  async until(what: string, expression: string, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await this.eval<boolean>(expression))) {
      if (Date.now() > end) throw new Error(`Firefox: ${what} did not happen within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<void> {
    this.ws.close();
    this.child.kill();
    await new Promise((r) => this.child.once('exit', r));
    rmSync(this.profile, { recursive: true, force: true });
  }
}
