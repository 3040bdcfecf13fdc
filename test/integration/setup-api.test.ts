import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RtspCamera } from '../../src/capture/virtual-courtroom/rtsp-camera.js';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { passwordMatches } from '../../src/engine/api/auth.js';
import { startApiServer, type ApiServer } from '../../src/engine/api/http-server.js';
import { templateFor } from '../../src/engine/protocol/protocol.js';
import { SetupService } from '../../src/engine/setup/setup-service.js';
import { parseConfig } from '../../src/shared/config.js';
import type { SetupCheck } from '../../src/shared/api/setup-contract.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { pdfText } from '../helpers/documents.js';
import { post, UI_DIR } from '../helpers/engine.js';
import { makeKey, TestSshd } from '../helpers/sshd.js';
import { toneWav } from '../helpers/tone.js';

const court = new TestCourtroom();
let sink: VirtualSink;
let setup: SetupService;
let server: ApiServer;
const configPath = join(court.dir, 'etc', 'abk.config.json');
beforeAll(async () => {
  sink = await court.sink(4, 24);
  mkdirSync(join(court.dir, 'etc'));
  setup = new SetupService({ configPath, captureEnv: court.room.captureEnv, version: 'test' });
  server = await startApiServer(setup, { uiDir: UI_DIR });
});
afterAll(async () => {
  await server.close();
  await setup.close();
  court.close();
});

const value = <T>(r: { status: number; json: { ok: boolean; value?: unknown; error?: unknown } }): T => {
  if (!r.json.ok) throw new Error(`refused (${r.status}): ${JSON.stringify(r.json.error)}`);
  return r.json.value as T;
};
const refusal = (r: { json: { ok: boolean; error?: { code: string; message: { en: string; ru: string; kk: string } } } }): { code: string; message: { en: string; ru: string; kk: string } } => {
  expect(r.json.ok).toBe(false);
  return r.json.error!;
};

describe('first-run setup API (no configuration yet)', () => {
  it('says it is in setup, lists this PC\'s audio inputs, and refuses the engine\'s own routes until set up', async () => {
    expect(value<{ setup: boolean }>(await post(server, 'engine/info', {})).setup).toBe(true);
    const state = value<{ audio: { name: string; channels: number }[]; configPath: string }>(await post(server, 'setup/state', {}));
    expect(state.configPath).toBe(configPath);
    expect(state.audio.map((a) => a.name)).toContain(sink.name);
    const r = await post(server, 'sittings/list', {});
    expect(r.status).toBe(409);
    expect(refusal(r).code).toBe('setup-first');
  });

  it('meters every channel of an input: a tone on channel 3 only lights channel 3', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}api/events`, { headers: { authorization: `Bearer ${server.token}` } });
    const peaks: number[][] = [];
    ws.on('message', (m) => { const e = JSON.parse(String(m)); if (e.type === 'setup-levels' && e.device === sink.name) peaks.push(e.peaks); });
    await new Promise((r) => ws.once('open', r));
    value(await post(server, 'setup/meter', { device: sink.name, channelCount: 4 }));
    const playing = court.room.card.play(sink, toneWav(join(court.dir, 'ch3.wav'), 4, 3, [3]));
    await playing.done;
    value(await post(server, 'setup/meter-stop', {}));
    ws.close();
    const loudest = peaks.map((p) => p.indexOf(Math.max(...p)));
    const during = peaks.filter((p) => p[2]! > -20);
    expect(during.length).toBeGreaterThan(10);
    // channel 3 at the tone's level (−12 dBFS; a reading where it starts or ends is lower), the others digital silence, in every reading it was heard
    const levels = during.map((p) => p[2]!).sort((a, b) => a - b);
    expect(levels[Math.floor(levels.length / 2)]).toBeCloseTo(-12, 0);
    for (const p of during) expect([p[0], p[1], p[3]]).toEqual([-120, -120, -120]);
    expect(loudest.filter((i, n) => peaks[n]![2]! > -20).every((i) => i === 2)).toBe(true);
  });

  it('checks the recordings folder: hours free at the format, or why not', async () => {
    const ok = value<{ hoursFree: number; bytesPerHour: number }>(await post(server, 'setup/folder', { path: join(court.dir, 'Жазбалар'), tracks: 8, bitDepth: 24, sampleRate: 48000 }));
    expect(ok.bytesPerHour).toBe(8 * 144_000 * 3600);
    expect(ok.hoursFree).toBeGreaterThan(0);
    writeFileSync(join(court.dir, 'file'), 'x');
    const bad = refusal(await post(server, 'setup/folder', { path: join(court.dir, 'file', 'sub'), tracks: 8, bitDepth: 24, sampleRate: 48000 }));
    expect(bad.code).toBe('setup-folder-not-writable');
    expect(bad.message.kk).toContain('жазу мүмкін емес');
  });

  it('shows an RTSP camera\'s picture, and refuses an address that does not answer without showing its password', async () => {
    const camera = new RtspCamera(20554 + (process.pid % 1000));
    await camera.start();
    try {
      const shot = value<{ previewUrl: string }>(await post(server, 'setup/camera', { source: { kind: 'rtsp', url: camera.url } }));
      const res = await fetch(new URL(shot.previewUrl, server.url), { headers: { authorization: `Bearer ${server.token}` } });
      const jpg = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(jpg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      // any other name under /media/setup is not served
      expect((await fetch(new URL('/media/setup/..%2F..%2Fetc%2Fpasswd', server.url), { headers: { authorization: `Bearer ${server.token}` } })).status).toBe(404);
    } finally {
      await camera.stop();
    }
    const r = refusal(await post(server, 'setup/camera', { source: { kind: 'rtsp', url: 'rtsp://admin:Құпия-55@127.0.0.1:9/cam' } }));
    expect(r.code).toBe('setup-camera-no-answer');
    expect(r.message.ru).toContain('rtsp://***@127.0.0.1:9/cam');
    expect(JSON.stringify(r)).not.toContain('Құпия-55');
  });

  it('pins a server\'s key on confirmation after an upload read back; refuses a changed key and a key the server refuses', async () => {
    const client = makeKey(join(court.dir, 'id_ed25519'));
    const sshd = await TestSshd.create(join(court.dir, 'sshd'), client.publicLine);
    try {
      const entry = sshd.entry('primary');
      const probe = value<{ keyLine: string; fingerprint: string }>(await post(server, 'setup/server-probe', { host: entry.host, port: entry.port }));
      expect(probe.keyLine).toBe(sshd.hostKey.split(' ').slice(0, 2).join(' '));
      expect(probe.fingerprint).toMatch(/^SHA256:/);
      const answer = { id: 'primary', host: entry.host, port: entry.port, username: entry.username, remoteRoot: entry.remoteRoot };
      const tested = value<{ hostKeys: string[]; uploadedBytes: number }>(await post(server, 'setup/server-test', { server: answer, hostKey: probe.keyLine, privateKeyPath: client.privateKeyPath }));
      expect(tested.hostKeys).toEqual([probe.keyLine]);
      expect(tested.uploadedBytes).toBe(256 * 1024);
      // the test file was there and is gone: the folder stays, empty
      expect(readdirSync(join(sshd.root, '.abk-setup-test'))).toEqual([]);
      // a key the server does not accept
      const stranger = makeKey(join(court.dir, 'id_other'));
      const refused = refusal(await post(server, 'setup/server-test', { server: answer, hostKey: probe.keyLine, privateKeyPath: stranger.privateKeyPath }));
      expect(refused.code).toBe('setup-server-refused');
      // the server replaced between the probe and the confirmation
      sshd.kill();
      sshd.newHostKey();
      await sshd.start();
      const changed = refusal(await post(server, 'setup/server-test', { server: answer, hostKey: probe.keyLine, privateKeyPath: client.privateKeyPath }));
      expect(changed.code).toBe('setup-host-key-changed');
      expect(changed.message.kk).toContain('басқа кілт');
    } finally {
      sshd.kill();
    }
  });

  it('previews the protocol from a sample sitting, and refuses a template with an unknown placeholder', async () => {
    const ok = value<{ previewUrl: string }>(await post(server, 'setup/template', { language: 'ru' }));
    const res = await fetch(new URL(ok.previewUrl, server.url), { headers: { authorization: `Bearer ${server.token}` } });
    const pdf = join(court.dir, 'preview.pdf');
    writeFileSync(pdf, Buffer.from(await res.arrayBuffer()));
    expect(pdfText(pdf)).toContain('КРАТКИЙ ПРОТОКОЛ');
    const dir = join(court.dir, 'templates');
    mkdirSync(dir);
    const zip = new PizZip(readFileSync(templateFor('ru')));
    zip.file('word/document.xml', zip.file('word/document.xml')!.asText().replace('{court}', '{courtName}'));
    writeFileSync(join(dir, 'ru.docx'), zip.generate({ type: 'nodebuffer' }));
    const bad = refusal(await post(server, 'setup/template', { language: 'ru', templateDir: dir }));
    expect(bad.code).toBe('protocol-template-unknown-placeholder');
    expect(bad.message.ru).toContain('{courtName}');
    expect(refusal(await post(server, 'setup/template', { language: 'kk', templateDir: dir })).code).toBe('setup-template-missing');
  });

  it('a test recording passes the microphones that deliver a signal and fails a silent one, into the log', async () => {
    const answers = {
      language: 'ru', recordingsRoot: join(court.dir, 'recordings'),
      audioDevices: [{ name: sink.name, channelCount: 4, channels: [{ channel: 1, seat: 'judge' }, { channel: 2, seat: 'secretary' }, { channel: 4, seat: 'witness' }, { channel: 3, seat: 'unused' }] }],
    };
    const playing = court.room.card.play(sink, toneWav(join(court.dir, 'ch4-silent.wav'), 4, 12, [1, 2, 3]));
    const r = value<{ ok: boolean; checks: SetupCheck[]; logPath: string }>(await post(server, 'setup/test-recording', { answers, seconds: 4 }));
    playing.stop();
    expect(r.checks.map((c) => [c.name, c.seat, c.ok])).toEqual([[`${sink.name} 1`, 'judge', true], [`${sink.name} 2`, 'secretary', true], [`${sink.name} 4`, 'witness', false]]);
    // said in each language the screen may be in
    expect(r.checks[2]!.detail).toEqual({ en: expect.stringContaining('digital silence'), ru: expect.stringContaining('цифровая тишина'), kk: expect.stringContaining('сандық тыныштық') });
    expect(r.checks[0]!.detail.kk).toMatch(/^шың -12\.\d дБFS$/);
    expect(r.ok).toBe(false);
    expect(readFileSync(r.logPath, 'utf8')).toMatch(/FAILED\n.*pass microphone abk_4ch_s24 1: judge: peak -12\.\d dBFS\n.*pass microphone abk_4ch_s24 2: secretary: peak -12\.\d dBFS\n.*FAIL microphone abk_4ch_s24 4: witness: digital silence/);
  });

  it('finish writes the configuration with the password hashed, refusing bad answers first', async () => {
    const answers = { language: 'kk', recordingsRoot: join(court.dir, 'recordings'), audioDevices: [{ name: sink.name, channelCount: 4, channels: [{ channel: 1, seat: 'judge' }, { channel: 2, seat: 'judge' }] }] };
    expect(refusal(await post(server, 'setup/finish', { answers, password: 'Сот-залы-305' })).code).toBe('setup-seat-twice');
    expect(existsSync(configPath)).toBe(false);
    answers.audioDevices[0]!.channels[1]!.seat = 'secretary';
    const done = value<{ configPath: string }>(await post(server, 'setup/finish', { answers, password: 'Сот-залы-305' }));
    expect(done.configPath).toBe(configPath);
    expect(await setup.finished).toBe(configPath);
    const parsed = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')));
    expect(parsed.ok && passwordMatches('Сот-залы-305', parsed.value.admin.passwordHash)).toBe(true);
    expect(readFileSync(configPath, 'utf8')).not.toContain('Сот-залы-305');
  });
});
