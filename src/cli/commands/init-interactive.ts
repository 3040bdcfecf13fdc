import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { locateFfmpeg } from '../../capture/video/ffmpeg-locate.js';
import type { AudioDeviceInfo } from '../../capture/audio/protocol.js';
import { cameraSnapshot } from '../../engine/setup/camera-snapshot.js';
import { audioBytesPerHour, checkRecordingsFolder } from '../../engine/setup/folder-check.js';
import { probeServer, testServer } from '../../engine/setup/server-test.js';
import { previewTemplate } from '../../engine/setup/template-preview.js';
import { testRecording } from '../../engine/setup/test-recording.js';
import { redactCredentials } from '../../shared/redact.js';
import { SEAT_ROLE_IDS } from '../../shared/seats.js';
import { seatMapProblem, UI_LANGUAGES, type SetupAnswersInput } from '../../shared/setup-answers.js';
import { checkLine } from '../../shared/api/setup-contract.js';
import { lang, messageOf, say } from '../output.js';

/**
 * Questions on the terminal (or lines piped in, one answer a line): every
 * line is queued as it arrives, so answers typed ahead are not lost. The
 * password is not echoed on a terminal.
 */
class Asker {
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private waiting: ((l: string | undefined) => void) | undefined;
  private ended = false;
  private muted = false;

  constructor() {
    const tty = process.stdin.isTTY === true;
    this.rl = createInterface({ input: process.stdin, output: process.stderr, terminal: tty });
    // readline echoes what is typed through this; a password is not shown
    const echo = this.rl as unknown as { _writeToOutput: (s: string) => void };
    const write = echo._writeToOutput.bind(this.rl);
    echo._writeToOutput = (s: string) => { if (!this.muted) write(s); };
    this.rl.on('line', (l) => { if (this.waiting) { const w = this.waiting; this.waiting = undefined; w(l); } else this.lines.push(l); });
    this.rl.on('close', () => { this.ended = true; this.waiting?.(undefined); });
  }

  async ask(question: string, fallback = '', secret = false): Promise<string> {
    process.stderr.write(`${question}${fallback ? ` [${fallback}]` : ''}: `);
    this.muted = secret;
    const line = this.lines.shift() ?? (this.ended ? undefined : await new Promise<string | undefined>((r) => { this.waiting = r; }));
    this.muted = false;
    if (secret) process.stderr.write('\n');
    if (line === undefined) throw new Error('abk init: the answers ended before the setup did; nothing was written');
    return line.trim() || fallback;
  }

  async yes(question: string, fallback: boolean): Promise<boolean> {
    return /^(y|yes|д|да|и|иә)$/i.test(await this.ask(`${question} (y/n)`, fallback ? 'y' : 'n'));
  }

  close(): void {
    this.rl.close();
  }
}

const note = (text: string): void => { process.stderr.write(`${text}\n`); };

/** One interface's channels: how many to record, and each one's seat and label (empty: unused). */
async function askChannels(q: Asker, dev: AudioDeviceInfo): Promise<SetupAnswersInput['audioDevices'][number]> {
  const count = Math.max(1, Math.min(dev.maxInputChannels, Number(await q.ask(`Channels of "${dev.name}" to record`, String(dev.maxInputChannels))) || dev.maxInputChannels));
  const channels: SetupAnswersInput['audioDevices'][number]['channels'] = [];
  for (let ch = 1; ch <= count; ch++) {
    const [seat, ...label] = (await q.ask(`Channel ${ch}: seat [label]`)).split(/\s+/);
    if (!seat) { channels.push({ channel: ch, seat: 'unused' }); continue; }
    if (!(SEAT_ROLE_IDS as string[]).includes(seat)) throw new Error(`abk init: "${seat}" is no seat (${SEAT_ROLE_IDS.join(', ')}); nothing was written`);
    channels.push({ channel: ch, seat: seat as (typeof SEAT_ROLE_IDS)[number], ...(label.length > 0 ? { label: label.join(' ') } : {}) });
  }
  return { name: dev.name, hostApi: dev.hostApi, channelCount: count, channels };
}

/**
 * `abk init` on a terminal: the setup screen's steps as questions, each
 * checked at once with the same code (the folder written to, a camera's
 * picture, a server's key compared then a test upload, the protocol preview,
 * a test recording), ending in the answers `finishSetup` writes.
 */
export async function askAnswers(present: AudioDeviceInfo[], configPath: string, captureEnv: Record<string, string>): Promise<Omit<SetupAnswersInput, 'passwordHash'> & { password: string }> {
  const q = new Asker();
  const scratch = mkdtempSync(join(tmpdir(), 'abk-init-'));
  try {
    const language = await q.ask(`Language (${UI_LANGUAGES.join(', ')})`, 'kk') as SetupAnswersInput['language'];
    if (!UI_LANGUAGES.includes(language)) throw new Error(`abk init: the language is one of ${UI_LANGUAGES.join(', ')}, not "${language}"; nothing was written`);
    if (present.length === 0) throw new Error('abk init: this PC has no audio input: connect the audio interface and run it again; nothing was written');
    note('Audio inputs:');
    present.forEach((d, i) => note(`  ${i + 1}. ${d.name} (${d.hostApi}, ${d.maxInputChannels} ch)`));
    note(`Seats: ${SEAT_ROLE_IDS.join(', ')}; empty: unused`);
    const audioDevices: SetupAnswersInput['audioDevices'] = [];
    // one interface or more (a second card for the gallery): microphones are numbered across them in this order
    for (let pick = await q.ask('Audio interface (number)', '1'); pick; pick = await q.ask('Another audio interface (number; empty: no more)')) {
      const dev = present[Number(pick) - 1];
      if (!dev) throw new Error('abk init: choose an audio input by its number; nothing was written');
      if (audioDevices.some((d) => d.name === dev.name)) throw new Error(`abk init: "${dev.name}" is mapped already; nothing was written`);
      audioDevices.push(await askChannels(q, dev));
    }
    const seats = seatMapProblem(audioDevices);
    if (seats) throw new Error(`abk init: ${say(seats)}; nothing was written`);
    const tracks = audioDevices.reduce((n, d) => n + d.channels.filter((c) => c.seat !== 'unused').length, 0);

    let recordingsRoot = '';
    for (;;) {
      recordingsRoot = await q.ask('Recordings folder', join(homedir(), 'abk-recordings'));
      const f = checkRecordingsFolder(recordingsRoot, audioBytesPerHour(tracks, 48000, 24));
      if (f.ok) { note(`  ${f.value.hoursFree} h of recording free`); break; }
      note(`  ${say(f.error)}`);
    }

    const ffmpeg = locateFfmpeg().ffmpeg;
    const cameras: Record<string, unknown>[] = [];
    for (let url = await q.ask('IP camera address (rtsp://…; empty: none)'); url; url = await q.ask('Another camera (empty: no more)')) {
      const source = { kind: 'rtsp' as const, url, transport: 'tcp' as const };
      try {
        await cameraSnapshot(ffmpeg, source, join(scratch, `camera-${cameras.length + 1}.jpg`));
        cameras.push({ id: `cam${cameras.length + 1}`, label: redactCredentials(url), source });
        note('  the camera answered with a picture: added');
      } catch (e) {
        note(`  ${messageOf(e)}`);
      }
    }

    const servers: Record<string, unknown>[] = [];
    let privateKeyPath: string | undefined;
    for (let host = await q.ask('Regional server address (empty: none)'); host; host = await q.ask('Another server (empty: no more)')) {
      const port = Number(await q.ask('  port', '22'));
      try {
        const key = await probeServer(host, port);
        note(`  it presents ${key.type} ${key.fingerprint}: compare it with the server's own (ssh-keygen -lf on the server)`);
        if (!(await q.yes('  Is it the same?', false))) continue;
        const server = { id: await q.ask('  name', servers.length === 0 ? 'primary' : 'reserve'), host, port, username: await q.ask('  user'), remoteRoot: await q.ask('  folder on the server') };
        privateKeyPath = await q.ask('  this PC\'s private key', privateKeyPath ?? '');
        const r = await testServer(server, key.keyLine, privateKeyPath);
        servers.push({ ...server, hostKeys: r.hostKeys });
        note(`  pinned; a test file was uploaded, read back (${r.how}) and removed`);
      } catch (e) {
        note(`  ${messageOf(e)}`);
      }
    }

    const templateDir = await q.ask('Folder of the court\'s protocol templates (empty: built-in)');
    for (const l of ['kk', 'ru'] as const) {
      if (templateDir) {
        const pdf = join(dirname(configPath), `protocol-preview-${l}.pdf`);
        await previewTemplate(templateDir, l, pdf, scratch);
        note(`  ${l}: the sample sitting's protocol is in ${pdf}`);
      }
    }

    let password = '';
    for (;;) {
      password = await q.ask('IT password (8 characters or more)', '', true);
      if (password.length >= 8 && password === await q.ask('Again', '', true)) break;
      note('  the two differ or it is too short');
    }
    const answers = { language, recordingsRoot, audioDevices, cameras, servers, ...(privateKeyPath ? { privateKeyPath } : {}), ...(templateDir ? { templateDir } : {}) };
    if (await q.yes('Make a 10-second test recording now?', true)) {
      const r = await testRecording(answers, 10, locateFfmpeg(), captureEnv, join(dirname(configPath), 'abk-setup.log'));
      for (const c of r.checks) note(`  ${checkLine(c, lang())}`);
      if (!r.ok && !(await q.yes('Something failed. Write the configuration anyway?', false))) throw new Error('abk init: fix what failed and run it again; nothing was written');
    }
    return { ...answers, password };
  } finally {
    q.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
