import { app, BrowserWindow, dialog, Menu, nativeImage, powerSaveBlocker, Tray, utilityProcess, type UtilityProcess } from 'electron';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { RestartPolicy } from '../shared/restart-policy.js';
import type { FromSupervisor, ToSupervisor } from '../shared/supervisor-messages.js';

/**
 * The desktop app's main process only supervises (ARCHITECTURE.md §1): one
 * instance, the engine (`abk engine`) in a utility process, started again at
 * once when it dies on the same address and token (the new engine takes up
 * the sitting that was recording, and the window reconnects by itself), one
 * sandboxed window on the engine's loopback address, a tray icon that shows
 * whether a sitting is being recorded and brings the window back, and no
 * sleep while recording.
 */
const ENGINE = join(import.meta.dirname, '..', 'cli', 'main.js');
const ICONS = join(import.meta.dirname, '..', '..', 'assets', 'icons');
/** Past this many quick deaths in a row the secretary is told, while restarts go on. */
const TELL_AFTER = 3;

const token = randomBytes(32).toString('base64url');
const policy = new RestartPolicy();
let port = 0;
let engine: UtilityProcess | undefined;
let url: string | undefined;
let win: BrowserWindow | undefined;
let tray: Tray | undefined;
let blocker: number | undefined;
let recording = false;
let quitting = false;

/** A free loopback port, kept for every restart of the engine. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address() as { port: number };
      srv.close(() => resolve(p));
    });
  });
}

function startEngine(restarted: boolean): void {
  // the configuration lives with the app's data unless IT points elsewhere; when there is none, the engine serves first-run setup
  const config = process.env.ABK_CONFIG ?? join(app.getPath('userData'), 'abk.config.json');
  const args = ['engine', '--port', String(port), '--config', config];
  const startedMs = Date.now();
  const child = utilityProcess.fork(ENGINE, args, {
    stdio: 'inherit', serviceName: 'ABK ABT engine',
    env: { ...process.env, ABK_API_TOKEN: token, ABK_ENGINE_RESTARTED: restarted ? '1' : '' },
  });
  engine = child;
  child.on('message', (m: ToSupervisor) => {
    if (m.type === 'ready') { url = m.url; void showWindow(); }
    if (m.type === 'recording') setRecording(m.recording);
  });
  child.on('exit', (code) => {
    engine = undefined;
    if (quitting) { app.quit(); return; }
    const wait = policy.delayAfter(startedMs, Date.now());
    setTimeout(() => startEngine(true), wait);
    if (policy.consecutive > TELL_AFTER) dialog.showErrorBox('ABK ABT', `The recording engine stopped (code ${code}) and is being started again. If this repeats, call IT.`);
  });
}

/** Show the window, making it again if it was closed: a second launch and the tray always bring it back. */
async function showWindow(): Promise<void> {
  if (!url) return;
  if (!win) {
    win = new BrowserWindow({ width: 1400, height: 900, title: 'ABK ABT', webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    const origin = url.split('#')[0]!;
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (e, to) => { if (!to.startsWith(origin)) e.preventDefault(); });
    win.on('closed', () => { win = undefined; });
    await win.loadURL(url);
  }
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function setRecording(on: boolean): void {
  recording = on;
  if (on && blocker === undefined) blocker = powerSaveBlocker.start('prevent-app-suspension');
  if (!on && blocker !== undefined) { powerSaveBlocker.stop(blocker); blocker = undefined; }
  tray?.setImage(nativeImage.createFromPath(join(ICONS, on ? 'tray-recording.png' : 'tray-idle.png')));
  tray?.setToolTip(on ? 'ABK ABT — жазба жүріп жатыр / идёт запись' : 'ABK ABT');
}

function makeTray(): void {
  tray = new Tray(nativeImage.createFromPath(join(ICONS, 'tray-idle.png')));
  tray.setToolTip('ABK ABT');
  tray.on('click', () => void showWindow());
  tray.setContextMenu(Menu.buildFromTemplate([
    { label: 'Ашу / Открыть', click: () => void showWindow() },
    { type: 'separator' },
    { label: 'Шығу / Выход', click: () => quit() },
  ]));
}

function quit(): void {
  if (recording) {
    const choice = dialog.showMessageBoxSync({ type: 'warning', buttons: ['Болдырмау / Отмена', 'Шығу / Выйти'], defaultId: 0, cancelId: 0,
      message: 'Жазба жүріп жатыр. Шықсаңыз, жазба тоқтайды. / Идёт запись. При выходе запись будет остановлена.' });
    if (choice !== 1) return;
  }
  app.quit();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => void showWindow());
  app.on('window-all-closed', () => undefined); // closing the window never stops a recording: the tray brings it back
  app.on('before-quit', (e) => {
    if (!engine || quitting) return;
    // the engine finishes any recording's files, then exits; the app quits when it has
    e.preventDefault();
    quitting = true;
    engine.postMessage({ type: 'shutdown' } satisfies FromSupervisor);
  });
  void app.whenReady().then(async () => {
    port = await freePort();
    makeTray();
    startEngine(false);
  });
}
