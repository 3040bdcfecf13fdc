import { hashPassword } from '../../engine/api/auth.js';
import { readSecretLine } from '../secret-line.js';
import { configPathOf, editConfigFile, loadConfig } from '../load-config.js';

/** `abk password`: the settings screen's IT password, read from stdin (one line), kept only as its scrypt hash. */
export async function passwordCommand(o: { config?: string | undefined }): Promise<void> {
  const path = configPathOf(o.config);
  loadConfig(path); // a broken configuration is reported before anything is written
  const password = await readSecretLine('new IT password for the settings (then Enter): ');
  if (password.length < 8) throw new Error('the password must have at least 8 characters; nothing was changed');
  editConfigFile(path, (raw) => { raw.admin = { ...(raw.admin as object | undefined), passwordHash: hashPassword(password) }; });
  process.stderr.write(`the settings password is set in ${path}\n`);
}
