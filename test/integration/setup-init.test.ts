import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { passwordMatches } from '../../src/engine/api/auth.js';
import { abk } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { readTrack } from '../helpers/wav.js';
import { matchCounter } from '../helpers/counter-check.js';

const court = new TestCourtroom();
afterAll(() => court.close());
let sink: VirtualSink;
let gallery: VirtualSink;
let env: Record<string, string>;
beforeAll(async () => {
  sink = await court.sink(4, 24);
  gallery = await court.sink(2, 16); // a second card, for the gallery's microphones
  env = { ABK_CAPTURE_HOME: court.room.captureEnv.HOME! };
});

const HASH = 'scrypt$00112233445566778899aabbccddeeff$' + 'ab'.repeat(32);
/** What an engineer answers for the 4-channel virtual card: channel 3 unused, Kazakh letters in a label. */
const answers = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  language: 'kk',
  recordingsRoot: join(court.dir, 'зал-2', 'recordings'),
  audioDevices: [{ name: sink.name, channelCount: 4, channels: [
    { channel: 1, seat: 'judge', label: 'Төраға' },
    { channel: 2, seat: 'secretary' },
    { channel: 3, seat: 'unused' },
    { channel: 4, seat: 'witness', label: 'Куә (мінбер)' },
  ] }],
  passwordHash: HASH,
  ...over,
});
let n = 0;
function init(a: Record<string, unknown>, extra: string[] = [], lang = 'en'): { code: number | null; stderr: string; config: string } {
  const dir = join(court.dir, `init-${++n}`);
  mkdirSync(dir);
  const file = join(dir, 'answers.json');
  writeFileSync(file, JSON.stringify(a));
  const config = join(dir, 'abk.config.json');
  const r = abk(['init', '--answers', file, '--config', config, ...extra], { ...env, ABK_LANG: lang });
  return { code: r.code, stderr: r.stderr, config };
}

describe('abk init', () => {
  it('makes a configuration from an answer file that records the mapped microphones, and exports it as the next courtroom\'s answers', () => {
    const r = init(answers());
    expect(r.stderr).toContain('3 microphones');
    expect(r.code).toBe(0);
    const written = JSON.parse(readFileSync(r.config, 'utf8'));
    expect(written.language).toBe('kk');
    expect(written.audio.devices[0].channels).toEqual([
      { channel: 1, seat: 'judge', label: 'Төраға' }, { channel: 2, seat: 'secretary' }, { channel: 4, seat: 'witness', label: 'Куә (мінбер)' }]);
    expect(existsSync(join(court.dir, 'зал-2', 'recordings'))).toBe(true);
    // the configuration records: channel 4's counter lands in the witness's file (the third microphone), channel 3 nowhere
    const counter = court.counter(sink, 30);
    const playing = court.room.card.play(sink, counter.path);
    const rec = abk(['record', '--case', 'Іс-1/2', '--seconds', '2', '--config', r.config], env);
    playing.stop();
    expect(rec.code).toBe(0);
    const folder = rec.stdout.trim().split('\n').at(-1)!;
    const base = folder.split('/').at(-1)!;
    expect(readdirSync(folder).filter((f) => f.endsWith('.wav') && f.includes('_mic')).sort())
      .toEqual([`${base}_mic01_judge.wav`, `${base}_mic02_secretary.wav`, `${base}_mic03_witness.wav`]);
    const m = matchCounter(readTrack([join(folder, `${base}_mic03_witness.wav`)]), 3, 24, counter.frames);
    expect(m.mismatchAt).toBeUndefined();
    expect(m.matched).toBeGreaterThan(48000);
    // exported, then made again on "another PC" (another path): the same bytes
    const exported = join(court.dir, 'exported.json');
    expect(abk(['init', '--export', exported, '--config', r.config], env).code).toBe(0);
    const again = init(JSON.parse(readFileSync(exported, 'utf8')));
    expect(again.code).toBe(0);
    expect(readFileSync(again.config, 'utf8')).toBe(readFileSync(r.config, 'utf8'));
  });

  it('asks the steps as questions (answers piped in), two interfaces among them, and writes what the same answer file writes', () => {
    const inputs = (JSON.parse(abk(['devices', '--json'], env).stdout).audio as { name: string; maxInputChannels: number }[]).filter((d) => d.maxInputChannels > 0);
    const number = inputs.findIndex((d) => d.name === sink.name) + 1;
    const second = inputs.findIndex((d) => d.name === gallery.name) + 1;
    expect(Math.min(number, second)).toBeGreaterThan(0);
    const dir = join(court.dir, 'asked');
    mkdirSync(dir);
    const root = join(court.dir, 'зал-3');
    const lines = ['ru', String(number), '4', 'judge Төраға', 'secretary', '', 'witness Куә (мінбер)', String(second), '2', '', 'room Зал', '', join(court.dir, 'a-file-for-asked', 'x'), root, '', '', '', 'Пароль-2026', 'Пароль-2026', 'n'];
    writeFileSync(join(court.dir, 'a-file-for-asked'), 'not a folder');
    const r = abk(['init', '--config', join(dir, 'abk.config.json')], env, `${lines.join('\n')}\n`);
    expect(r.stderr).toContain('Recordings cannot be written'); // the first folder refused, asked again
    expect(r.stderr).not.toContain('Пароль-2026');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'abk.config.json'), 'utf8');
    const hash = JSON.parse(text).admin.passwordHash as string;
    expect(passwordMatches('Пароль-2026', hash)).toBe(true);
    const same = init(answers({ language: 'ru', recordingsRoot: root, passwordHash: hash, audioDevices: [{ name: sink.name, hostApi: 'ALSA', channelCount: 4, channels: [
      { channel: 1, seat: 'judge', label: 'Төраға' }, { channel: 2, seat: 'secretary' }, { channel: 3, seat: 'unused' }, { channel: 4, seat: 'witness', label: 'Куә (мінбер)' }] },
    { name: gallery.name, hostApi: 'ALSA', channelCount: 2, channels: [{ channel: 1, seat: 'unused' }, { channel: 2, seat: 'room', label: 'Зал' }] }] }));
    expect(same.code).toBe(0);
    expect(readFileSync(same.config, 'utf8')).toBe(text);
    // answers that end early write nothing
    const cut = abk(['init', '--config', join(dir, 'cut.json')], env, 'ru\n');
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain('nothing was written');
    expect(existsSync(join(dir, 'cut.json'))).toBe(false);
  });

  it('takes the IT password from stdin and keeps only its hash', () => {
    const dir = join(court.dir, 'pw');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.json'), JSON.stringify(answers({ passwordHash: undefined })));
    const r = abk(['init', '--answers', join(dir, 'a.json'), '--config', join(dir, 'c.json'), '--password-stdin'], env, 'Сот-залы-2026\n');
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'c.json'), 'utf8');
    expect(text).not.toContain('Сот-залы-2026');
    expect(passwordMatches('Сот-залы-2026', JSON.parse(text).admin.passwordHash)).toBe(true);
    expect(passwordMatches('Сот-залы-2025', JSON.parse(text).admin.passwordHash)).toBe(false);
  });

  it('refuses bad answers in the user\'s language, naming the problem, and writes nothing', () => {
    const seats = (a: Record<string, unknown>[]): Record<string, unknown> => answers({ audioDevices: [{ name: sink.name, channelCount: 4, channels: a }] });
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['two seats on one channel', seats([{ channel: 2, seat: 'judge' }, { channel: 2, seat: 'secretary' }]), 'ru', /Каналу 2 устройства «abk_4ch_s24» назначены два места/],
      ['one seat on two channels', seats([{ channel: 1, seat: 'judge' }, { channel: 3, seat: 'judge' }]), 'kk', /«Судья» орны екі арнаға берілген/],
      ['a channel the device does not have', seats([{ channel: 6, seat: 'judge' }]), 'en', /has 4 channels: there is no channel 6/],
      ['a folder that cannot be written', answers({ recordingsRoot: join(court.dir, 'a-file.txt', 'recordings') }), 'en', /Recordings cannot be written to ".*a-file.txt\/recordings" \(ENOTDIR\)/],
      ['a relative folder', answers({ recordingsRoot: 'recordings' }), 'ru', /не полный путь/],
      ['a device this PC does not have', answers({ audioDevices: [{ name: 'UMC1820 Behringer', channelCount: 8, channels: [{ channel: 1, seat: 'judge' }] }] }), 'en',
        /Audio input "UMC1820 Behringer" is not connected.*Inputs present: .*"abk_4ch_s24" \(ALSA, \d+ ch\).*Nothing was written/s],
      ['no password hash', answers({ passwordHash: 'secret' }), 'en', /passwordHash: an scrypt hash/],
    ];
    writeFileSync(join(court.dir, 'a-file.txt'), 'not a folder');
    for (const [what, a, lang, message] of cases) {
      const r = init(a, [], lang);
      expect(r.stderr, `${what}: ${r.stderr}`).toMatch(message);
      expect(r.code, what).toBe(1);
      expect(existsSync(r.config), what).toBe(false);
    }
    // an existing configuration is never replaced
    const first = init(answers());
    expect(first.code).toBe(0);
    const before = readFileSync(first.config, 'utf8');
    writeFileSync(join(court.dir, 'other.json'), JSON.stringify(answers({ language: 'ru' })));
    const second = abk(['init', '--answers', join(court.dir, 'other.json'), '--config', first.config], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('A configuration already exists');
    expect(readFileSync(first.config, 'utf8')).toBe(before);
  });
});
