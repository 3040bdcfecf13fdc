import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The script and Node flags to start one of our modules as a child process:
 * the compiled `.js` in a build, or the `.ts` source through tsx in development
 * and tests, so both run the same code path.
 */
export function childEntry(baseUrl: string, relative: string): { script: string; execArgv: string[] } {
  const js = fileURLToPath(new URL(`${relative}.js`, baseUrl));
  if (existsSync(js)) return { script: js, execArgv: [] };
  const ts = fileURLToPath(new URL(`${relative}.ts`, baseUrl));
  // Resolved from here, not from the child's working directory.
  const tsx = pathToFileURL(createRequire(baseUrl).resolve('tsx')).href;
  return { script: ts, execArgv: ['--import', tsx] };
}
