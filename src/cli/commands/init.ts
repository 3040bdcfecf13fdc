import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AbkConfig } from '../../shared/config.js';
import { askAnswers } from './init-interactive.js';
import { hashPassword } from '../../engine/api/auth.js';
import { listAudioInputs } from '../../engine/setup/audio-inputs.js';
import { finishSetup } from '../../engine/setup/finish-setup.js';
import { configExists } from '../../engine/setup/write-config.js';
import { answersFromConfig } from '../../shared/setup-answers.js';
import { captureEnvFromProcess, configPathOf, loadConfig } from '../load-config.js';
import { readSecretLine } from '../secret-line.js';

export interface InitOptions { config?: string | undefined; answers?: string | undefined; exportTo?: string | undefined; passwordStdin: boolean }

/**
 * `abk init`: first-run setup on the command line: questions (the setup
 * screen's steps), or for scripted installs `--answers FILE` makes
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
  if (existsSync(path)) throw configExists(path);
  if (!o.answers) {
    // the setup screen's steps as questions (or answers piped in, a line each)
    const present = await listAudioInputs(captureEnvFromProcess());
    const { password, ...asked } = await askAnswers(present, path, captureEnvFromProcess());
    report(path, finishSetup({ ...asked, passwordHash: hashPassword(password) }, path, present).config);
    return;
  }
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
  report(path, finishSetup(answers, path, present).config);
}

function report(path: string, config: AbkConfig): void {
  const tracks = config.audio.devices.reduce((n, d) => n + d.channels.length, 0);
  process.stderr.write(`configuration written to ${path}: ${tracks} microphones, ${config.video.cameras.length} cameras, ${config.replication.servers.length} servers\n`);
}
