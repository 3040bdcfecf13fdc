/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RtspCamera } from '../../src/capture/virtual-courtroom/rtsp-camera.js';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { abk } from '../helpers/abk-cli.js';
import { newPage, openBrowser, screenshot } from '../helpers/browser.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { killTree } from '../helpers/kill-tree.js';
import { api, startServe, until, type Served } from '../helpers/serve.js';
import { makeKey, TestSshd } from '../helpers/sshd.js';
import { toneWav } from '../helpers/tone.js';

const court = new TestCourtroom();
const etc = join(court.dir, 'etc');
const configPath = join(etc, 'abk.config.json');
const recordings = join(court.dir, 'Жазбалар');
let sink: VirtualSink;
let served: Served;
let browser: Browser;
let page: Page;
let camera: RtspCamera;
let sshd: TestSshd;
let client: { privateKeyPath: string; publicLine: string };
const stops: (() => void)[] = [];

beforeAll(async () => {
  sink = await court.sink(4, 24);
  await court.sink(2, 16); // a second input on this PC, for a second interface's tab
  mkdirSync(etc);
  camera = new RtspCamera(21554 + (process.pid % 1000));
  await camera.start();
  client = makeKey(join(court.dir, 'id_ed25519'));
  sshd = await TestSshd.create(join(court.dir, 'sshd'), client.publicLine);
  // an empty data folder: no configuration at all
  served = await startServe(configPath, { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! });
  browser = await openBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  stops.forEach((s) => s());
  await browser?.close();
  if (served?.child.pid) killTree(served.child.pid);
  sshd?.kill();
  await camera?.stop();
  await court.close();
});

describe('first-run setup: from an empty data folder to a console ready for a sitting (Chromium, abk serve, virtual courtroom)', () => {
  it('opens the setup screen instead of an error, in the chosen language', async () => {
    await page.goto(`${served.url}#token=${served.token}`);
    await page.waitForSelector('.screen.setup section[data-step=audio]');
    await page.selectOption('select[name=setup-language]', 'ru');
    expect(await page.textContent('.setup h2')).toBe('Первая настройка ПК зала');
    await page.fill('input[name=setup-folder]', recordings);
    await page.click('button[name=folder-check]');
    await page.waitForSelector('[data-for=folder][data-ok=yes]');
    expect(await page.textContent('[data-for=folder]')).toMatch(/свободно на [\d.]+ ч записи/);
  });

  it('maps the channels by watching the meters, and "identify" on channel 3 lights channel 3 only', async () => {
    await page.selectOption('select[name=setup-device]', sink.name);
    // ALSA offers more channels than this card has: the engineer records the four it has
    await page.fill('input[name=channel-count]', '4');
    await page.waitForSelector('tr[data-channel="4"]');
    expect(await page.$$('tr[data-channel="5"]')).toHaveLength(0);
    // channel 2 speaks: its meter moves, the others stay at the floor
    const two = court.room.card.play(sink, toneWav(join(court.dir, 'ch2.wav'), 4, 30, [2]));
    stops.push(() => two.stop());
    await page.waitForSelector('tr[data-channel="2"].live', { timeout: 15_000 });
    expect(await page.$$eval('tr.live', (rows) => rows.map((r) => (r as HTMLElement).dataset.channel))).toEqual(['2']);
    two.stop();
    await page.selectOption('select[name=seat-1]', 'judge');
    await page.selectOption('select[name=seat-2]', 'secretary');
    await page.selectOption('select[name=seat-3]', 'witness');
    await page.fill('input[name=label-3]', 'Куә мінбері');
    // identify: someone speaks into the microphone on channel 3
    await page.waitForFunction(() => document.querySelectorAll('tr.live').length === 0, undefined, { timeout: 10_000 });
    await page.click('button[name=identify]');
    const three = court.room.card.play(sink, toneWav(join(court.dir, 'ch3.wav'), 4, 3, [3]));
    await three.done;
    await page.waitForSelector('[data-for=audio]:has-text("Слышно на канале")', { timeout: 10_000 });
    expect(await page.textContent('[data-for=audio]')).toBe('Слышно на канале 3');
    expect(await page.$$eval('tr.lit', (rows) => rows.map((r) => (r as HTMLElement).dataset.channel))).toEqual(['3']);
    await screenshot(page, 'setup-1-channels');
  });

  it('shows the RTSP camera\'s picture and keeps its address hidden', async () => {
    await page.fill('input[name=rtsp-url]', camera.url.replace('rtsp://', 'rtsp://operator:Камера-1@'));
    await page.click('button[name=camera-preview]');
    // a picture is there once the image has loaded: the element comes first, its pixels a moment later
    const loaded = async (): Promise<number> => {
      await page.waitForFunction(() => { const i = document.querySelector<HTMLImageElement>('img.setup-preview'); return !!i && i.complete && i.naturalWidth > 0; }, undefined, { timeout: 20_000 });
      return page.$eval('img.setup-preview', (i) => (i as HTMLImageElement).naturalWidth);
    };
    expect(await loaded()).toBe(640);
    // the preview stays live: a newer picture replaces it within a few seconds
    const first = await page.getAttribute('img.setup-preview', 'src');
    await page.waitForFunction((src) => document.querySelector('img.setup-preview')?.getAttribute('src') !== src, first, { timeout: 15_000 });
    expect(await loaded()).toBe(640);
    expect(await page.textContent('[data-camera=cam1]')).toContain('rtsp://***@127.0.0.1');
    expect(await page.textContent('body')).not.toContain('Камера-1');
  });

  it('pins the loopback server\'s key after comparing it, with a test upload read back', async () => {
    const entry = sshd.entry('primary');
    await page.fill('input[name=server-host]', entry.host);
    await page.fill('input[name=server-port]', String(entry.port));
    await page.fill('input[name=server-username]', entry.username);
    await page.fill('input[name=server-remoteRoot]', entry.remoteRoot);
    await page.fill('input[name=server-key]', client.privateKeyPath);
    await page.click('button[name=server-probe]');
    const fp = await page.getAttribute('code[data-fingerprint]', 'data-fingerprint');
    // compared with the server's own key, as IT does on the server
    const keyFile = /HostKey (\S+)/.exec(readFileSync(join(sshd.dir, 'sshd_config'), 'utf8'))![1]!;
    expect(execFileSync('ssh-keygen', ['-lf', `${keyFile}.pub`], { encoding: 'utf8' })).toContain(fp!);
    await page.click('button[name=server-confirm]');
    await page.waitForSelector('[data-server=primary]', { timeout: 30_000 });
    expect(await page.textContent('[data-for=servers]')).toContain('закреплён');
  });

  it('the test recording passes every microphone and the camera', async () => {
    await page.fill('input[name=password1]', 'Сот-залы-305');
    await page.fill('input[name=password2]', 'Сот-залы-305');
    const all = court.room.card.play(sink, toneWav(join(court.dir, 'all.wav'), 4, 40, [1, 2, 3]));
    stops.push(() => all.stop());
    await page.click('button[name=test-recording]');
    await page.waitForSelector('[data-test-result]', { timeout: 60_000 });
    all.stop();
    expect(await page.$$eval('li[data-check]', (l) => l.map((x) => `${(x as HTMLElement).dataset.check} ${x.textContent!.split(':')[0]}`))).toEqual([
      `pass норма · ${sink.name} 1`, `pass норма · ${sink.name} 2`, `pass норма · ${sink.name} 3`, 'pass норма · cam1 (rtsp',
    ]);
    expect(await page.getAttribute('[data-test-result]', 'data-test-result')).toBe('pass');
    expect(await page.textContent('li[data-check]')).toMatch(/: Судья — пик -\d+\.\d дБFS$/); // in the screen's language, the seat by its name
    expect(readFileSync(join(etc, 'abk-setup.log'), 'utf8')).toMatch(/setup test recording, 10 s: PASSED/);
    // the meters the test recording stopped are back
    const again = court.room.card.play(sink, toneWav(join(court.dir, 'ch2-again.wav'), 4, 20, [2]));
    stops.push(() => again.stop());
    await page.waitForSelector('tr[data-channel="2"].live', { timeout: 15_000 });
    again.stop();
  });

  it('exports the answers; an import keeps every interface, flags those this PC lacks with their seats kept until one of this PC\'s takes the place, and refuses a file that is not a set-up', async () => {
    const exportAnswers = async (): Promise<{ audioDevices: { name: string; channels: unknown[] }[]; servers: { hostKeys: unknown[] }[] }> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[name=setup-export]')]);
      return JSON.parse(readFileSync((await download.path())!, 'utf8'));
    };
    const tabs = (): Promise<(string | undefined)[]> => page.$$eval('button[name^=device-tab-]', (b) => b.map((x) => (x as HTMLElement).dataset.present));
    const exported = await exportAnswers();
    expect(exported.audioDevices[0]!.channels.slice(0, 3)).toEqual([{ channel: 1, seat: 'judge' }, { channel: 2, seat: 'secretary' }, { channel: 3, seat: 'witness', label: 'Куә мінбері' }]);
    expect(exported.servers[0]!.hostKeys).toHaveLength(1);
    // not a set-up: refused by name, and the screen keeps what it has
    const junk = join(court.dir, 'junk.json');
    writeFileSync(junk, '{"language": "fr"}');
    await page.setInputFiles('input[name=setup-import]', junk);
    await page.waitForSelector('[data-for=import]:has-text("не является")');
    expect(await page.textContent('[data-for=import]')).toContain('language');
    expect(await page.inputValue('select[name=seat-3]')).toBe('witness');
    // another courtroom's, with a second interface for the gallery: neither is on this PC
    const gallery = { name: 'Behringer UMC404HD', channelCount: 2, channels: [{ channel: 1, seat: 'prosecutor' }, { channel: 2, seat: 'unused' }] };
    const other = join(court.dir, 'other-courtroom.json');
    writeFileSync(other, JSON.stringify({ ...exported, audioDevices: [{ ...exported.audioDevices[0], name: 'Focusrite 18i20' }, gallery] }));
    await page.setInputFiles('input[name=setup-import]', other);
    await page.waitForSelector('[data-flag=device-missing]');
    expect(await page.textContent('[data-for=import]')).toContain('аудиоинтерфейсов — 2');
    expect(await tabs()).toEqual(['no', 'no']);
    expect(await page.textContent('[data-flag=device-missing]')).toContain('«Focusrite 18i20»');
    expect(await page.inputValue('select[name=seat-3]')).toBe('witness');
    await page.selectOption('select[name=setup-device]', sink.name);
    await page.waitForSelector('[data-flag=device-missing]', { state: 'detached' });
    expect(await tabs()).toEqual(['yes', 'no']);
    expect(await page.inputValue('select[name=seat-3]')).toBe('witness');
    expect(await page.inputValue('input[name=label-3]')).toBe('Куә мінбері');
    // the second is kept, flagged, with its seat, and exported again with the first
    await page.click('button[name=device-tab-2]');
    await page.waitForSelector('[data-flag=device-missing]:has-text("Behringer UMC404HD")');
    expect(await page.inputValue('select[name=seat-1]')).toBe('prosecutor');
    expect((await exportAnswers()).audioDevices.map((d) => d.name)).toEqual([sink.name, 'Behringer UMC404HD']);
    // this courtroom has no gallery card: removed; one of this PC's inputs can be added as a second, and removed again
    await page.click('button[name=remove-device]');
    expect(await tabs()).toEqual(['yes']);
    await page.click('button[name=add-device]');
    expect(await tabs()).toEqual(['yes', 'yes']);
    expect(await page.inputValue('select[name=setup-device]')).not.toBe(sink.name);
    await page.click('button[name=remove-device]');
    expect(await tabs()).toEqual(['yes']);
    expect(await page.inputValue('select[name=setup-device]')).toBe(sink.name);
    expect(await page.inputValue('select[name=seat-3]')).toBe('witness');
    await screenshot(page, 'setup-2-imported');
  });

  it('writes the configuration and the console is ready for a sitting; abk init makes the same bytes from the same answers', async () => {
    await page.click('button[name=setup-finish]');
    await page.waitForSelector('form.sitting-form', { timeout: 60_000 });
    await screenshot(page, 'setup-3-ready');
    const info = await until('the engine as itself', async () => { const r = await api<{ setup?: boolean; seats: { seat: string }[] }>(served, 'engine/info'); return r?.ok && !r.value!.setup ? r.value! : undefined; });
    expect(info.seats.map((s) => s.seat)).toEqual(['judge', 'secretary', 'witness']);
    const text = readFileSync(configPath, 'utf8');
    expect(text).not.toContain('Сот-залы-305');
    const written = JSON.parse(text);
    // the same answers in a file, as an engineer would write them for the next courtroom
    const answers = {
      language: 'ru', recordingsRoot: recordings,
      audioDevices: [{ name: sink.name, hostApi: 'ALSA', channelCount: 4, channels: [
        { channel: 1, seat: 'judge' }, { channel: 2, seat: 'secretary' }, { channel: 3, seat: 'witness', label: 'Куә мінбері' }, { channel: 4, seat: 'unused' }] }],
      // keys in another order than the screen's: the file must not depend on it
      cameras: [{ source: { transport: 'tcp', url: camera.url.replace('rtsp://', 'rtsp://operator:Камера-1@'), kind: 'rtsp' }, label: camera.url.replace('rtsp://', 'rtsp://***@'), id: 'cam1' }],
      servers: [{ id: 'primary', host: '127.0.0.1', port: sshd.port, username: sshd.entry('x').username, remoteRoot: sshd.root, hostKeys: written.replication.servers[0].hostKeys }],
      privateKeyPath: client.privateKeyPath,
      passwordHash: written.admin.passwordHash,
    };
    writeFileSync(join(court.dir, 'answers.json'), JSON.stringify(answers));
    const r = abk(['init', '--answers', join(court.dir, 'answers.json'), '--config', join(court.dir, 'from-init.json')], { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! });
    expect(r.stderr).toContain('configuration written');
    expect(readFileSync(join(court.dir, 'from-init.json'), 'utf8')).toBe(text);
    // and on a PC whose device has another name, the same file is flagged, not trimmed
    const elsewhere = { ...answers, audioDevices: [{ ...answers.audioDevices[0]!, name: 'Focusrite 18i20' }] };
    writeFileSync(join(court.dir, 'elsewhere.json'), JSON.stringify(elsewhere));
    const flagged = abk(['init', '--answers', join(court.dir, 'elsewhere.json'), '--config', join(court.dir, 'elsewhere-config.json')], { ABK_CAPTURE_HOME: court.room.captureEnv.HOME!, ABK_LANG: 'kk' });
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('«Focusrite 18i20» аудиокірісі қосылмаған');
  });
});
