import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { TestCourtroom } from '../helpers/courtroom.js';
import { KAZAKH_FIELDS, post, SETTINGS_PASSWORD, startEngine } from '../helpers/engine.js';

const court = new TestCourtroom();
let engine: Awaited<ReturnType<typeof startEngine>>;

beforeAll(async () => {
  const sink = await court.sink(2, 16);
  engine = await startEngine(court, court.room.config(court.recordings, sink, { camera: 'none' }));
});
afterAll(async () => { await engine.close(); await court.close(); });

/** What the engine holds: refused requests must leave it as it was. */
const snapshot = async (): Promise<string> => JSON.stringify([(await post(engine.server, 'drafts/list', {})).json, (await post(engine.server, 'sittings/list', {})).json]);

/** A raw request, to set Host and leave out headers fetch would add. */
function raw(path: string, headers: Record<string, string>, body = '{}'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: engine.server.port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the engine API refuses', () => {
  it('a request without the token, or with a wrong one, and changes nothing', async () => {
    const before = await snapshot();
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${engine.server.token}x`]) {
      const r = await raw('/api/drafts/save', { host: `127.0.0.1:${engine.server.port}`, ...(auth ? { authorization: auth } : {}) }, JSON.stringify({ fields: { caseNumber: 'x' } }));
      expect(r.status).toBe(401);
      const error = JSON.parse(r.body).error;
      expect(error.code).toBe('api-no-token');
      expect(error.message.en).toContain('abk serve');
      expect(error.message.kk).toContain('кілті');
    }
    expect(await snapshot()).toBe(before);
    // positive control: the same raw request with the right token is answered
    const ok = await raw('/api/drafts/list', { host: `127.0.0.1:${engine.server.port}`, authorization: `Bearer ${engine.server.token}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).ok).toBe(true);
  });

  it('a page of another origin, even with the token, and changes nothing', async () => {
    const before = await snapshot();
    const r = await post(engine.server, 'sittings/open', { fields: KAZAKH_FIELDS }, { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    expect(r.json.error!.code).toBe('api-bad-origin');
    expect(r.json.error!.message.en).toContain('http://evil.example');
    expect(await snapshot()).toBe(before);
    // positive control: our own page's origin is let in
    const own = await post(engine.server, 'engine/info', {}, { origin: engine.server.url.replace(/\/$/, '') });
    expect(own.status).toBe(200);
  });

  it('a request to another host name (DNS rebinding)', async () => {
    const r = await raw('/api/engine/info', { host: `attacker.example:${engine.server.port}`, authorization: `Bearer ${engine.server.token}` });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.code).toBe('api-bad-host');
    // positive control: our own address as Host is answered
    expect((await raw('/api/engine/info', { host: `127.0.0.1:${engine.server.port}`, authorization: `Bearer ${engine.server.token}` })).status).toBe(200);
  });

  it('a malformed body: not JSON, not JSON typed, a wrong field, an unknown field; naming the problem, changing nothing', async () => {
    const before = await snapshot();
    const notJson = await post(engine.server, 'drafts/save', '{"fields": ');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error!.message.en).toContain('not valid JSON');
    const text = await raw('/api/drafts/save', { host: `127.0.0.1:${engine.server.port}`, authorization: `Bearer ${engine.server.token}`, 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    const missing = await post(engine.server, 'sittings/open', { fields: { ...KAZAKH_FIELDS, presidingJudge: '' } });
    expect(missing.status).toBe(400);
    expect(missing.json.error!.code).toBe('api-bad-body');
    expect(missing.json.error!.message.en).toContain('fields.presidingJudge');
    const extra = await post(engine.server, 'marks/add', { sittingId: 1, kind: 'floor', delete: true });
    expect(extra.status).toBe(400);
    expect(extra.json.error!.message.en).toContain('delete');
    const kind = await post(engine.server, 'marks/add', { sittingId: 1, kind: 'explode' });
    expect(kind.json.error!.message.en).toContain('kind');
    expect((await post(engine.server, 'no/such', {})).status).toBe(404);
    expect(await snapshot()).toBe(before);
    // positive control: a well-formed body on the same route is taken
    const good = await post(engine.server, 'drafts/save', { fields: { caseNumber: 'positive-control' } });
    expect(good.status).toBe(200);
    expect(await snapshot()).not.toBe(before);
    await post(engine.server, 'drafts/delete', { id: (good.json.value as { id: number }).id });
  });

  it('the event socket without the token or from another origin', async () => {
    const url = `ws://127.0.0.1:${engine.server.port}/api/events`;
    const outcome = (ws: WebSocket): Promise<string> => new Promise((r) => { ws.on('open', () => r('open')); ws.on('unexpected-response', (_q, res) => r(String(res.statusCode))); ws.on('error', () => r('error')); });
    expect(await outcome(new WebSocket(url))).toBe('401');
    expect(await outcome(new WebSocket(url, { headers: { authorization: `Bearer ${engine.server.token}`, origin: 'http://evil.example' } }))).toBe('403');
    const ok = new WebSocket(url, { headers: { authorization: `Bearer ${engine.server.token}` } });
    expect(await outcome(ok)).toBe('open');
    ok.close();
  });

  it('media outside what the engine chose: no path from the request is ever opened', async () => {
    for (const path of ['/media/1/../../abk.sqlite', '/media/1/%2e%2e%2fabk.sqlite', '/media/camera/..%2f..%2fabk.sqlite.jpg', '/media/1/listen.webm']) {
      const res = await fetch(`${engine.server.url.slice(0, -1)}${path}`, { headers: { authorization: `Bearer ${engine.server.token}` } });
      expect(res.status).toBe(404);
    }
  });

  it('the settings without the IT password, a wrong password, and a broken configuration (the file is kept)', async () => {
    expect((await post(engine.server, 'settings/get', {})).json.error!.code).toBe('settings-locked');
    expect((await post(engine.server, 'settings/unlock', { password: 'guess' })).json.error!.code).toBe('settings-wrong-password');
    expect((await post(engine.server, 'settings/unlock', { password: SETTINGS_PASSWORD })).json.ok).toBe(true);
    const got = (await post(engine.server, 'settings/get', {})).json.value as { config: { admin: object; audio: { bitDepth: number } } };
    expect(got.config.admin).toEqual({}); // the password's hash never leaves the engine
    const file = readFileSync(engine.configPath, 'utf8');
    const bad = await post(engine.server, 'settings/save', { config: { ...got.config, audio: { ...got.config.audio, bitDepth: 12 } } });
    expect(bad.json.error!.code).toBe('settings-invalid');
    expect(bad.json.error!.message.en).toContain('audio.bitDepth');
    expect(readFileSync(engine.configPath, 'utf8')).toBe(file);
  });
});

describe('the engine API serves', () => {
  it('only on loopback, with the UI files to anyone there and a strict content policy', async () => {
    expect(engine.server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(engine.server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('<div id="root">');
  });

  it('drafts and sittings with Kazakh names and a case number holding "/" and ".."', async () => {
    const draft = await post(engine.server, 'drafts/save', { fields: { caseNumber: '../7599/..', presidingJudge: 'Әбілқасымова' } });
    const id = (draft.json.value as { id: number }).id;
    expect(((await post(engine.server, 'drafts/list', {})).json.value as { id: number }[]).map((d) => d.id)).toContain(id);
    const opened = await post(engine.server, 'sittings/open', { draftId: id, fields: { ...KAZAKH_FIELDS, caseNumber: '../7599/..' } });
    expect(opened.json.ok).toBe(true);
    const s = opened.json.value as { id: number; base: string; state: string; participants: string[] };
    expect(s.base).not.toMatch(/[/\\]|\.\./);
    expect(s.state).toBe('ready');
    expect(s.participants).toContain('Қасымов Ғалым Һадиұлы');
    expect(((await post(engine.server, 'drafts/list', {})).json.value as { id: number }[]).map((d) => d.id)).not.toContain(id);
    const found = (await post(engine.server, 'sittings/list', { text: 'ҚАСЫМОВ' })).json.value as { id: number }[];
    expect(found.map((r) => r.id)).toEqual([s.id]);
    expect((await post(engine.server, 'sittings/list', { text: 'Петров' })).json.value).toEqual([]);
  });

  it('a mark sent again under the same ref (its answer was lost) is the mark already saved, with the ref on its event; without a ref, two marks', async () => {
    const opened = (await post(engine.server, 'sittings/open', { fields: { ...KAZAKH_FIELDS, caseNumber: 'ref-test' } })).json.value as { id: number };
    expect((await post(engine.server, 'recording/start', { id: opened.id })).json.ok).toBe(true);
    const ws = new WebSocket(`ws://127.0.0.1:${engine.server.port}/api/events`, { headers: { authorization: `Bearer ${engine.server.token}` } });
    const events: { ref?: string; mark: { id: number } }[] = [];
    ws.on('message', (m) => { const e = JSON.parse(String(m)) as { type: string; ref?: string; mark: { id: number } }; if (e.type === 'mark') events.push(e); });
    await new Promise((r) => ws.once('open', r));
    try {
      const add = async (body: object): Promise<{ id: number }> => (await post(engine.server, 'marks/add', { sittingId: opened.id, kind: 'floor', seat: 'judge', pressedWallMs: Date.now(), ...body })).json.value as { id: number };
      const first = await add({ ref: 'w1-7' });
      const again = await add({ ref: 'w1-7' });
      expect(again).toEqual(first);
      // positive control: no ref, or another ref, is a new mark each time
      const a = await add({});
      const b = await add({});
      const other = await add({ ref: 'w1-8' });
      expect(new Set([first.id, a.id, b.id, other.id]).size).toBe(4);
      await new Promise((r) => setTimeout(r, 300));
      expect(events.map((e) => [e.mark.id, e.ref])).toEqual([[first.id, 'w1-7'], [a.id, undefined], [b.id, undefined], [other.id, 'w1-8']]);
    } finally {
      ws.close();
      await post(engine.server, 'recording/stop', { id: opened.id });
    }
    const detail = (await post(engine.server, 'sittings/get', { id: opened.id })).json.value as { marks: unknown[] };
    expect(detail.marks).toHaveLength(4);
  });
});
