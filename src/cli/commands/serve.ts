import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { hashPassword, newToken } from '../../engine/api/auth.js';
import { setUpDemoCourtroom } from '../demo-courtroom.js';
import { EngineSupervisor } from '../engine-supervisor.js';
import { loadConfig } from '../load-config.js';

export interface ServeOptions { config?: string | undefined; port?: number | undefined; demo: boolean; channels: number; out?: string | undefined }

/** A free port on loopback, kept for every restart of the engine so the UI finds it again. */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/**
 * `abk serve`: the engine and its API on loopback, supervised: the engine runs
 * as a child (`abk engine`) and is started again at once if it dies, on the
 * same address and token, and takes up the sitting that was recording. Prints
 * the UI's address (the token after `#`, which the browser keeps to itself).
 * With --demo it serves the virtual courtroom, its speakers talking in a loop.
 */
export async function serveCommand(o: ServeOptions): Promise<void> {
  let configPath = o.config ? resolve(o.config) : process.env.ABK_CONFIG ? resolve(process.env.ABK_CONFIG) : resolve('abk.config.json');
  const env: Record<string, string> = { ABK_API_TOKEN: newToken() };
  let stopVoices = (): void => undefined;
  if (o.demo) {
    const password = randomBytes(6).toString('base64url');
    const demo = await setUpDemoCourtroom({ out: o.out, channels: o.channels, bitDepth: 24, seconds: 60, camera: true, extra: { admin: { passwordHash: hashPassword(password) } } });
    const { room, sink, voices, root } = demo;
    configPath = demo.configPath;
    if (room.captureEnv.HOME) env.ABK_CAPTURE_HOME = room.captureEnv.HOME;
    let playing = true;
    const loop = (): void => {
      if (!playing) return;
      const p = room.card.play(sink, voices);
      stopVoices = () => { playing = false; p.stop(); };
      void p.done.catch((e: Error) => process.stderr.write(`virtual courtroom: the voices stopped (${e.message}); starting them again\n`)).then(loop);
    };
    loop();
    process.stderr.write(`virtual courtroom: ${o.channels} microphones speaking in turn; recordings in ${root}; settings password: ${password}\n`);
  } else if (existsSync(configPath)) {
    loadConfig(configPath); // a broken configuration is said here, once, not by every restart
  } else {
    process.stderr.write(`no configuration at ${configPath} yet: the address below opens the first-run setup\n`);
  }
  const port = o.port ?? await freePort();
  const sup = new EngineSupervisor({ args: ['--config', configPath, '--port', String(port)], env });
  let printed = false;
  sup.on('ready', ({ url, restarts }) => {
    if (!printed) {
      process.stdout.write(`${url}\n`);
      process.stderr.write('open the address above in Chromium (or the ABK ABT app); Ctrl+C stops the engine, finishing any recording first\n');
      printed = true;
    } else process.stderr.write(`abk serve: the engine is back (restart ${restarts}); the UI reconnects by itself\n`);
  });
  sup.on('exit', ({ code, signal, restartInMs }) => {
    if (restartInMs !== undefined) process.stderr.write(`abk serve: the engine stopped (${signal ?? `code ${code}`}); starting it again in ${restartInMs} ms\n`);
  });
  sup.start();
  await new Promise<void>((r) => {
    process.once('SIGINT', r);
    process.once('SIGTERM', r);
  });
  process.stderr.write('stopping: finishing the files of any recording…\n');
  stopVoices();
  await sup.stop();
}
