import { readFileSync, writeFileSync } from 'node:fs';
import { hashPassword } from '../../engine/api/auth.js';
import { listAudioInputs } from '../../engine/setup/audio-inputs.js';
import { finishSetup } from '../../engine/setup/finish-setup.js';
import { answersFromConfig } from '../../shared/setup-answers.js';
import { captureEnvFromProcess, configPathOf, loadConfig } from '../load-config.js';
import { readSecretLine } from '../secret-line.js';

export interface InitOptions { config?: string | undefined; answers?: string | undefined; exportTo?: string | undefined; passwordStdin: boolean }

/**
 * `abk init`: first-run setup for scripted installs. `--answers FILE` makes
 * the configuration the setup screen makes for the same answers, byte for
 * byte (both go through finishSetup); `--export FILE` writes this PC's
 * configuration as such an answer file, the template for the next courtroom.
 */
export async function initCommand(o: InitOptions): Promise<void> {
  const path = configPathOf(o.config);
  if (o.exportTo) {
    writeFileSync(o.exportTo, `${JSON.stringify(answersFromConfig(loadConfig(path)), null, 2)}\n`, { mode: 0o600 });
    process.stderr.write(`the set-up of ${path} is in ${o.exportTo}: "abk init --answers ${o.exportTo}" makes it on another PC (only the devices should differ)\n`);
    return;
  }
  if (!o.answers) throw new Error('abk init: give --answers FILE (an answer file, or one written by "abk init --export"), or set up in the app: "abk serve" opens the setup screen when there is no configuration');
  let answers: Record<string, unknown>;
  try {
    answers = JSON.parse(readFileSync(o.answers, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${o.answers} could not be read as JSON: ${(e as Error).message}; nothing was written`);
  }
  if (o.passwordStdin) {
    const password = await readSecretLine('IT password for the settings (then Enter): ');
    if (password.length < 8) throw new Error('the IT password must have at least 8 characters; nothing was written');
    answers = { ...answers, passwordHash: hashPassword(password) };
  }
  const present = await listAudioInputs(captureEnvFromProcess());
  const { config } = finishSetup(answers, path, present);
  const tracks = config.audio.devices.reduce((n, d) => n + d.channels.length, 0);
  process.stderr.write(`configuration written to ${path}: ${tracks} microphones, ${config.video.cameras.length} cameras, ${config.replication.servers.length} servers\n`);
}
