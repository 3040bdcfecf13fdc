import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '../../engine/api/auth.js';
import { EngineService } from '../../engine/api/engine-service.js';
import { startApiServer } from '../../engine/api/http-server.js';
import type { AbkConfig } from '../../shared/config.js';
import { setUpDemoCourtroom } from '../demo-courtroom.js';
import { captureEnvFromProcess, loadConfig } from '../load-config.js';

/** The package folder (src/cli/commands or dist/cli/commands, three levels down). */
const packageRoot = (): string => fileURLToPath(new URL('../../../', import.meta.url));
export const uiDir = (): string => join(packageRoot(), 'dist', 'ui');
const version = (): string => (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

export interface ServeOptions { config?: string | undefined; port?: number | undefined; demo: boolean; channels: number; out?: string | undefined }

/**
 * `abk serve`: the engine and its API on loopback; prints the UI's address
 * (with this launch's token after `#`, which the browser keeps to itself).
 * With --demo it serves the virtual courtroom, its speakers talking in a loop.
 */
export async function serveCommand(o: ServeOptions): Promise<void> {
  let config: AbkConfig;
  let captureEnv = captureEnvFromProcess();
  let configPath = o.config ? resolve(o.config) : process.env.ABK_CONFIG ? resolve(process.env.ABK_CONFIG) : resolve('abk.config.json');
  let stopVoices = (): void => undefined;
  if (o.demo) {
    const password = randomBytes(6).toString('base64url');
    const demo = await setUpDemoCourtroom({ out: o.out, channels: o.channels, bitDepth: 24, seconds: 60, camera: true, extra: { admin: { passwordHash: hashPassword(password) } } });
    const { room, sink, voices, root } = demo;
    ({ config, configPath } = demo);
    captureEnv = room.captureEnv;
    let playing = true;
    const loop = (): void => {
      if (!playing) return;
      const p = room.card.play(sink, voices);
      stopVoices = () => { playing = false; p.stop(); };
      void p.done.catch(() => undefined).then(loop);
    };
    loop();
    process.stderr.write(`virtual courtroom: ${o.channels} microphones speaking in turn; recordings in ${root}; settings password: ${password}\n`);
  } else {
    config = loadConfig(configPath);
  }
  const service = await new EngineService({ config, configPath, captureEnv, version: version() }).startBackground();
  const server = await startApiServer(service, { uiDir: uiDir(), ...(o.port ? { port: o.port } : {}) });
  const address = `${server.url}#token=${server.token}`;
  process.stdout.write(`${address}\n`);
  process.stderr.write('open the address above in Chromium (or the ABK ABT app); Ctrl+C stops the engine, finishing any recording first\n');
  // under the desktop app (an Electron utility process) the supervisor is told the address and when a sitting records
  const parent = (process as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', l: (m: { data: unknown }) => void): void } }).parentPort;
  parent?.postMessage({ type: 'ready', url: address });
  service.on('event', (e) => { if (e.type === 'state') parent?.postMessage({ type: 'recording', recording: e.state === 'recording' || e.state === 'paused' }); });
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
    parent?.on('message', (m) => { if ((m.data as { type?: string }).type === 'shutdown') r(); });
  });
  process.stderr.write('stopping: finishing the files of any recording…\n');
  stopVoices();
  await server.close();
  await service.close();
}
