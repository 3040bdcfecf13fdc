import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * This program's version, from its own package.json (two folders up from
 * here in the source and in the build alike), whoever started it: npm, the
 * CLI, Electron or a test. It goes into every manifest.
 */
export function softwareVersion(): string {
  cached ??= (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
  return cached;
}
