import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineService } from '../../engine/api/engine-service.js';
import { startApiServer, type ApiServer } from '../../engine/api/http-server.js';
import { SetupService } from '../../engine/setup/setup-service.js';
import { existsSync } from 'node:fs';
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
  let token = process.env.ABK_API_TOKEN || undefined;
  let port = o.port;
  const parent = parentChannel();
  if (!existsSync(configPath)) {
    // first run: the setup screen on the same address and token the engine will have
    const setup = await runSetup(configPath, port, token, parent);
    if (!setup) return;
    ({ port, token } = setup);
  }
  const config = loadConfig(configPath);
  const service = await new EngineService({
    config, configPath, captureEnv: captureEnvFromProcess(), version: softwareVersion(), restarted: process.env.ABK_ENGINE_RESTARTED === '1',
  }).startBackground();
  const server = await startApiServer(service, { uiDir: uiDir(), ...(port ? { port } : {}), ...(token ? { token } : {}) });
  announce(server, parent);
  service.on('event', (e) => { if (e.type === 'state') parent?.post({ type: 'recording', recording: e.state === 'recording' || e.state === 'paused' }); });
  await untilAskedToStop(parent);
  process.stderr.write('stopping: finishing the files of any recording…\n');
  await server.close();
  await service.close();
  // the channel to the supervisor would keep this process alive: the files are closed, so go
  if (parent) process.exit(0);
}

type Parent = ReturnType<typeof parentChannel>;
let announced = false;

/** The UI's address with the token, once per process (setup and the engine after it share it). */
function announce(server: ApiServer, parent: Parent): void {
  if (announced) return;
  announced = true;
  const address = `${server.url}#token=${server.token}`;
  if (parent) parent.post({ type: 'ready', url: address, pid: process.pid });
  else process.stdout.write(`${address}\n`);
}

/**
 * First-run setup (engine/setup): served until its configuration is written,
 * then closed so the engine proper takes its port; undefined when asked to
 * stop before that.
 */
async function runSetup(configPath: string, port: number | undefined, token: string | undefined, parent: Parent): Promise<{ port: number; token: string } | undefined> {
  process.stderr.write(`engine: no configuration at ${configPath}: serving first-run setup\n`);
  const setup = new SetupService({ configPath, captureEnv: captureEnvFromProcess(), version: softwareVersion() });
  const server = await startApiServer(setup, { uiDir: uiDir(), ...(port ? { port } : {}), ...(token ? { token } : {}) });
  announce(server, parent);
  const done = await Promise.race([setup.finished.then(() => true), untilAskedToStop(parent).then(() => false)]);
  await server.close();
  await setup.close();
  if (done) process.stderr.write(`engine: setup wrote ${configPath}; starting\n`);
  else if (parent) process.exit(0);
  return done ? { port: server.port, token: server.token } : undefined;
}

function untilAskedToStop(parent: Parent): Promise<void> {
  return new Promise<void>((r) => {
    // under a supervisor, Ctrl+C in the terminal reaches it too: it decides, and says "shutdown"
    process.on('SIGINT', () => { if (!parent) r(); });
    process.once('SIGTERM', r);
    parent?.onMessage((m) => { if (m.type === 'shutdown') r(); });
    // a supervisor that is gone cannot restart us or stop us: finish cleanly rather than run on alone
    process.once('disconnect', r);
  });
}
