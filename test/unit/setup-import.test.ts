import { describe, expect, it } from 'vitest';
import { answersFromFile, configFromAnswers } from '../../src/shared/setup-answers.js';

const HASH = `scrypt$${'ab'.repeat(16)}$${'cd'.repeat(32)}`;
/** Two interfaces, as a courtroom with a second card for the gallery has them. */
const answers = {
  language: 'kk', recordingsRoot: '/srv/Жазбалар',
  audioDevices: [
    { name: 'Focusrite 18i20', hostApi: 'ALSA', channelCount: 3, channels: [{ channel: 1, seat: 'judge' }, { channel: 2, seat: 'unused' }, { channel: 3, seat: 'witness', label: 'Куә мінбері' }] },
    { name: 'Behringer UMC404HD', channelCount: 2, channels: [{ channel: 1, seat: 'prosecutor' }, { channel: 2, seat: 'defence' }] },
  ],
  cameras: [{ id: 'cam1', source: { kind: 'rtsp', url: 'rtsp://op:Құпия@10.0.0.5/s1' } }],
  servers: [], passwordHash: HASH,
};

describe('importing a set-up file on the setup screen', () => {
  it('takes exported answers whole, without the IT password, keeping every interface', () => {
    const { passwordHash: _hash, ...exported } = answers;
    const r = answersFromFile(JSON.stringify(exported));
    expect(r.ok && r.answers.audioDevices.map((d) => d.name)).toEqual(['Focusrite 18i20', 'Behringer UMC404HD']);
    expect(r.ok && r.answers.passwordHash).toBe(undefined);
  });

  it('takes another courtroom\'s configuration file: the same answers again, so the same bytes', () => {
    const made = configFromAnswers(answers);
    if (!made.ok) throw new Error(made.error.message.en);
    const r = answersFromFile(made.text);
    if (!r.ok) throw new Error(r.error.message.en);
    // unused channels come back as unused, the password hash with the file
    expect(r.answers.audioDevices[0]!.channels[1]).toEqual({ channel: 2, seat: 'unused' });
    const again = configFromAnswers(r.answers);
    expect(again.ok && again.text).toBe(made.text);
  });

  it.each([
    ['{"language": "kk",', 'not JSON'],
    ['{"language": "fr", "recordingsRoot": "/x", "audioDevices": []}', 'language'],
    ['{"recordingsRoot": "/x", "audio": {"devices": [{"name": "", "channels": []}]}}', 'audio.devices'],
    ['[1, 2]', 'answers'],
  ])('refuses %s, naming what is wrong, in three languages', (text, named) => {
    const r = answersFromFile(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('setup-import-bad');
    expect(r.error.detail).toContain(named);
    expect(r.error.message.kk).toContain('abk.config.json');
    expect(r.error.message.ru).toContain('abk init --export');
  });
});
