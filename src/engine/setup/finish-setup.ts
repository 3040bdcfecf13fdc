import type { AudioDeviceInfo } from '../../capture/audio/protocol.js';
import type { AbkConfig } from '../../shared/config.js';
import { AbkError, appError } from '../../shared/result.js';
import { configFromAnswers } from '../../shared/setup-answers.js';
import { flagDevices } from './audio-inputs.js';
import { audioBytesPerHour, checkRecordingsFolder } from './folder-check.js';
import { writeNewConfig } from './write-config.js';

/**
 * The last step of setup, the same for the setup screen and `abk init`: the
 * answers become the configuration's text (configFromAnswers), its folder is
 * written to, its devices are found on this PC, and only then is the file
 * written, atomically. Any refusal throws an AbkError naming the problem and
 * writes nothing.
 */
export function finishSetup(answers: unknown, configPath: string, present: AudioDeviceInfo[]): { config: AbkConfig; text: string } {
  const made = configFromAnswers(answers);
  if (!made.ok) throw new AbkError(made.error);
  const tracks = made.config.audio.devices.reduce((n, d) => n + d.channels.length, 0);
  const folder = checkRecordingsFolder(made.config.recordingsRoot, audioBytesPerHour(tracks, made.config.audio.sampleRate, made.config.audio.bitDepth));
  if (!folder.ok) throw new AbkError(folder.error);
  const flagged = flagDevices(made.answers.audioDevices, present);
  if (flagged.length > 0) {
    const join = (l: 'en' | 'ru' | 'kk'): string => flagged.map((e) => e.message[l]).join(' ');
    throw new AbkError(appError('setup-device-missing', `${join('en')} Nothing was written.`, `${join('ru')} Ничего не записано.`, `${join('kk')} Ештеңе жазылмады.`));
  }
  writeNewConfig(configPath, made.text);
  return { config: made.config, text: made.text };
}
