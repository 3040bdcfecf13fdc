import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseConfig, type AbkConfig } from '../shared/config.js';

/** `--config`, else $ABK_CONFIG, else ./abk.config.json. */
export function loadConfig(path?: string): AbkConfig {
  const file = configPathOf(path);
  if (!existsSync(file)) {
    throw new Error(`no configuration at ${file}: pass --config FILE or set ABK_CONFIG (see "Configuration" in the README)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(`${file} has errors:\n  ${parsed.error.split('\n').join('\n  ')}`);
  return parsed.value;
}

/** Changes the configuration file in place (one rename): checked whole first, so a change that breaks it writes nothing. */
export function editConfigFile(path: string, edit: (raw: Record<string, unknown>) => void): AbkConfig {
  loadConfig(path);
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  edit(raw);
  const parsed = parseConfig(raw);
  if (!parsed.ok) throw new Error(`the change would break ${path}, so nothing was written:\n  ${parsed.error}`);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(raw, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return parsed.value;
}

/** `--config`, else $ABK_CONFIG, else ./abk.config.json, as an absolute path. */
export const configPathOf = (path?: string): string => resolve(path ?? process.env.ABK_CONFIG ?? 'abk.config.json');

/** Where the capture process finds ALSA devices defined outside the system (the virtual courtroom). */
export const captureEnvFromProcess = (): Record<string, string> =>
  process.env.ABK_CAPTURE_HOME ? { HOME: process.env.ABK_CAPTURE_HOME } : {};
