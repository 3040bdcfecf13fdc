import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineService } from '../../engine/api/engine-service.js';
import { startApiServer } from '../../engine/api/http-server.js';
import { captureEnvFromProcess, configPathOf, loadConfig } from '../load-config.js';
import { parentChannel } from '../parent-channel.js';

/** The package folder (src/cli/commands or dist/cli/commands, three levels down). */
const packageRoot = (): string => fileURLToPath(new URL('../../../', import.meta.url));
export const uiDir = (): string => join(packageRoot(), 'dist', 'ui');
import { softwareVersion } from '../../engine/version.js';

export interface EngineCommandOptions { config?: string | undefined; port?: number | undefined }

/**
 * `abk engine`: the engine and its API server, as run by a supervisor
 * (`abk serve`, the desktop app) that restarts it when it dies. The port and
 * the token (ABK_API_TOKEN) come from the supervisor, so the UI reconnects to
 * the same address after a restart; ABK_ENGINE_RESTARTED=1 says this is such a
 * restart, and a sitting recording a moment ago goes on recording.
 */
export async function engineCommand(o: EngineCommandOptions): Promise<void> {
  process.stderr.write(`engine: started ${Math.round(performance.now())} ms after its process\n`);
  const configPath = configPathOf(o.config);
  const config = loadConfig(configPath);
  const token = process.env.ABK_API_TOKEN || undefined;
  const service = await new EngineService({
    config, configPath, captureEnv: captureEnvFromProcess(), version: softwareVersion(), restarted: process.env.ABK_ENGINE_RESTARTED === '1',
  }).startBackground();
  const server = await startApiServer(service, { uiDir: uiDir(), ...(o.port ? { port: o.port } : {}), ...(token ? { token } : {}) });
  const parent = parentChannel();
  const address = `${server.url}#token=${server.token}`;
  if (parent) parent.post({ type: 'ready', url: address, pid: process.pid });
  else process.stdout.write(`${address}\n`);
  service.on('event', (e) => { if (e.type === 'state') parent?.post({ type: 'recording', recording: e.state === 'recording' || e.state === 'paused' }); });
  await new Promise<void>((r) => {
    // under a supervisor, Ctrl+C in the terminal reaches it too: it decides, and says "shutdown"
    process.on('SIGINT', () => { if (!parent) r(); });
    process.once('SIGTERM', r);
    parent?.onMessage((m) => { if (m.type === 'shutdown') r(); });
    // a supervisor that is gone cannot restart us or stop us: finish cleanly rather than run on alone
    process.once('disconnect', r);
  });
  process.stderr.write('stopping: finishing the files of any recording…\n');
  await server.close();
  await service.close();
  // the channel to the supervisor would keep this process alive: the files are closed, so go
  if (parent) process.exit(0);
}
