import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sittingSummarySchema } from '../../src/engine/recorder/summary-schema.js';
import { openDatabase } from '../../src/engine/db/database.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { pdfText } from '../helpers/documents.js';
import { ffprobe } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';

const court = new TestCourtroom();
afterAll(() => court.close());
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function abk(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('abk CLI', () => {
  it('abk devices lists the audio inputs with their channel counts', async () => {
    const sink = await court.sink(8, 16);
    const r = abk(['devices'], { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\] ${sink.name}  32 ch  ALSA`));
    expect(r.stdout).toContain('ffmpeg:');
    const json = JSON.parse(abk(['devices', '--json'], { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! }).stdout);
    expect(json.audio.some((d: { name: string }) => d.name === sink.name)).toBe(true);
  });

  it('abk demo records, marks, stops and finalizes a sitting on the virtual courtroom and prints its folder', () => {
    const out = join(court.dir, 'demo');
    const r = abk(['demo', '--seconds', '4', '--channels', '4', '--out', out, '--case', '3599-24-00-2а/2151'], court.demoEnv('vc'));
    expect(r.stderr).toContain('0 problem(s)');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('read-back check: every file matches');
    const folder = r.stdout.trim().split('\n').at(-1)!;
    expect(folder).toMatch(new RegExp(`^${out}/20\\d\\d/3599-24-00-2а_2151/3599-24-00-2а_2151_`));
    const base = folder.split('/').at(-1)!;
    const files = readdirSync(folder);
    expect(files.filter((f) => f.endsWith('.wav')).sort()).toEqual(['mic01_judge', 'mic02_secretary', 'mic03_prosecutor', 'mic04_defendant'].map((m) => `${base}_${m}.wav`));
    expect(ffprobe(join(folder, `${base}_video.mp4`)).streams[0]).toMatchObject({ width: 640, height: 360 });
    const manifest = JSON.parse(readFileSync(join(folder, `${base}_manifest.json`), 'utf8'));
    expect(manifest.caseNumber).toBe('3599-24-00-2а/2151');
    expect(manifest.sitting.presidingJudge).toBe('Әлібекова Гүлнәр Серікқызы');
    expect(manifest.marks.map((m: { kind: string }) => m.kind)).toEqual(['floor', 'floor', 'evidence', 'floor', 'floor', 'note', 'decision']);
    expect(spawnSync('md5sum', ['-c', 'MD5SUMS'], { cwd: folder }).status).toBe(0);
    // the short protocol, in the sitting's language (Kazakh), lists the judge, the marks and every file's checksum
    const protocol = pdfText(join(folder, `${base}_protocol.pdf`));
    expect(protocol).toContain('СОТ ОТЫРЫСЫНЫҢ ҚЫСҚАША ХАТТАМАСЫ');
    expect(protocol).toContain('Әлібекова Гүлнәр Серікқызы');
    // every file of the recording (not the protocol's own, nor the manifest revision it was made from)
    const media = (manifest.files as { md5: string; kind: string }[]).filter((f) => f.kind !== 'protocol' && f.kind !== 'manifest-revision');
    expect(media.length).toBe(4 + 3); // four microphones, the mix, the video, the A/V file
    for (const f of media) expect(protocol).toContain(f.md5);
    expect(readFileSync(join(folder, 'MD5SUMS'), 'utf8')).toContain(`${base}_protocol.pdf`);
    // made again on request, from the configuration the demo left
    const again = abk(['protocol', base, '--config', join(out, 'demo-config.json')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${base}_protocol.docx`);
    expect(spawnSync('md5sum', ['-c', 'MD5SUMS'], { cwd: folder }).status).toBe(0);
    // the judge speaks first: their microphone carries the voice, the defendant's hears only the room's noise floor
    const peak = (f: string): number => readWav(join(folder, `${base}_${f}.wav`)).samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(peak('mic01_judge')).toBeGreaterThan(0.1 * 8388608);
    expect(peak('mic04_defendant')).toBeLessThan(4 * 256); // the courtroom's noise floor only (±3 of 16 bits), no voice
    spawnSync('pulseaudio', ['--kill'], { env: { ...process.env, XDG_RUNTIME_DIR: join(court.dir, 'demo-courtroom', 'run'), HOME: join(court.dir, 'demo-courtroom', 'home') } });
  });

  it('abk record explains a missing case number, a missing configuration and a bad one', () => {
    expect(abk(['record', '--config', '/nonexistent.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--case NUMBER is required') });
    expect(abk(['record', '--case', '1', '--config', join(court.dir, 'none.json')])).toMatchObject({ code: 1, stderr: expect.stringContaining('no configuration at') });
    const bad = join(court.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ recordingsRoot: court.recordings, audio: { bitDepth: 32, devices: [] } }));
    const r = abk(['record', '--case', '1', '--config', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/audio\.bitDepth[\s\S]*audio\.devices/);
  });

  it('abk record refuses an empty case number in the user\'s language', async () => {
    const sink = await court.sink(4, 16);
    const cfg = join(court.dir, 'ok.json');
    writeFileSync(cfg, JSON.stringify(court.room.config(court.recordings, sink, { camera: 'none' })));
    const r = abk(['record', '--case', '  ', '--config', cfg], { ABK_LANG: 'kk' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Іс нөмірі бос');
    expect(existsSync(join(court.recordings, '.work'))).toBe(false);
  });

  it('Ctrl+C (SIGINT to the whole process group) stops abk record cleanly, with no phantom crash or camera loss', async () => {
    const sink = await court.sink(4, 16);
    const cfg = join(court.dir, 'ctrlc.json');
    writeFileSync(cfg, JSON.stringify(court.room.config(join(court.dir, 'ctrlc'), sink, { camera: 'test' })));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'record', '--case', 'ctrl-c', '--config', cfg],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ABK_CAPTURE_HOME: court.room.captureEnv.HOME! } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await new Promise<void>((resolve) => child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.includes('recording to')) resolve(); }));
    await new Promise((r) => setTimeout(r, 3000));
    process.kill(-child.pid!, 'SIGINT'); // what the terminal does on Ctrl+C
    expect(await exited).toBe(0);
    expect(stderr).toContain('0 problem(s)');
    const folder = stdout.trim();
    expect(readdirSync(folder).some((f) => f.endsWith('_av.mp4'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('_manifest.json'))!), 'utf8'));
    expect(manifest.files.filter((f: { kind: string }) => f.kind === 'microphone')).toHaveLength(4);
    expect(manifest.files.filter((f: { kind: string }) => f.kind === 'video')).toHaveLength(1);
    expect({ gaps: manifest.gaps, problems: manifest.problems }).toEqual({ gaps: [], problems: [] }); // no camera lost, no capture restarted
    // one take of four segments, each closed by the capture process (a recovered one would be a second take or a problem)
    const db = openDatabase(join(court.dir, 'ctrlc', 'abk.sqlite'));
    expect(db.prepare("SELECT take, count(*) AS n FROM segments WHERE kind = 'audio' GROUP BY take").all()).toEqual([{ take: 1, n: 4 }]);
    db.close();
    // the package holds everything: the working folder went once its files read back, its logs kept for IT
    expect(readdirSync(join(court.dir, 'ctrlc', '.work')).filter((f) => f !== 'libreoffice')).toEqual([]); // the protocol's LibreOffice profile stays
    const logs = join(court.dir, 'ctrlc', '.logs', manifest.base);
    const summary = JSON.parse(readFileSync(join(logs, 'sitting.json'), 'utf8'));
    expect(summary.takes).toHaveLength(1);
    expect(sittingSummarySchema.safeParse(summary)).toMatchObject({ success: true }); // the schema recovery reads it with takes a real one (else every recovery would rebuild)
    expect(summary.videoSegments.map((v: { end: string }) => v.end)).toEqual(['stopped']);
    // closed by the capture process itself, not recovered after it died
    expect(readFileSync(join(logs, 'events.jsonl'), 'utf8')).not.toContain('audio-segment-recovered');
  });

  it('abk serve prints the UI address with its token, answers on loopback only with it, and stops on SIGTERM', async () => {
    const sink = await court.sink(2, 16);
    const configPath = join(court.dir, 'serve-config.json');
    writeFileSync(configPath, JSON.stringify(court.room.config(join(court.dir, 'serve-recordings'), sink, { camera: 'none' })));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--config', configPath], { env: { ...process.env, ABK_CAPTURE_HOME: court.room.captureEnv.HOME! } });
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => { const line = b.toString().split('\n')[0]!; if (line.startsWith('http')) resolve(line); });
      child.on('exit', (c) => reject(new Error(`abk serve exited with ${c}`)));
    });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
    const [url, token] = address.split('#token=') as [string, string];
    const info = await fetch(`${url}api/engine/info`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    expect(((await info.json()) as { value: { seats: { seat: string }[] } }).value.seats.map((x) => x.seat)).toEqual(['judge', 'secretary']);
    expect((await fetch(`${url}api/engine/info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    const page = await fetch(url);
    expect(await page.text()).toContain('<div id="root">');
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  });

  it('unknown flags on every command are refused by name with exit 2 and no stack trace; --help works for each (regression)', () => {
    const commands = ['devices', 'record', 'sittings', 'finalize', 'protocol', 'serve', 'engine', 'replicate', 'password', 'demo'];
    for (const c of commands) {
      const bad = abk([c, '--bogus']);
      expect({ c, code: bad.code }).toEqual({ c, code: 2 });
      expect(bad.stderr).toContain(`abk ${c}: unknown option --bogus; see "abk ${c} --help"`);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
      // positive control: the same command's --help answers, exit 0
      const help = abk([c, '--help']);
      expect({ c, code: help.code }).toEqual({ c, code: 0 });
      expect(help.stdout).toContain(`usage: abk ${c}`);
    }
    // malformed values and missing ones are named too
    expect(abk(['demo', '--seconds', 'abc'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--seconds must be a positive number, not "abc"') });
    expect(abk(['demo', '--bit-depth', '32'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--bit-depth must be 16 or 24') });
    expect(abk(['serve', '--port'])).toMatchObject({ code: 2, stderr: expect.stringContaining('abk serve: option \'--port <value>\' argument missing') });
    expect(abk(['finalize'])).toMatchObject({ code: 2, stderr: expect.stringContaining('ID|BASE is missing') });
    expect(abk(['sittings', 'extra'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unexpected argument "extra"') });
    expect(abk(['bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "bogus"') });
  });

  it('abk demo --help | head prints the usage and records nothing (regression)', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const cwd = join(court.dir, 'help-cwd');
    mkdirSync(cwd);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" --import ${tsx} "${cli}" demo --help | head -1`], { encoding: 'utf8', cwd, timeout: 60_000 });
    expect(r.stdout).toMatch(/^usage: abk demo/);
    expect(readdirSync(cwd)).toEqual([]); // abk demo would have made ./recordings
  });

  it('abk with no command prints the usage', () => {
    const r = abk([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('abk demo');
  });
});
