import { app, BrowserWindow, dialog, powerSaveBlocker, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';

/**
 * The desktop app's main process only supervises (ARCHITECTURE.md §1): one
 * instance, the engine in a utility process (restarted if it dies), one
 * sandboxed window on the engine's loopback address, and no sleep while a
 * sitting is recorded. The window is the same UI as in any browser.
 */
const ENGINE = join(import.meta.dirname, '..', 'cli', 'main.js');
const RESTART_MS = [500, 2000, 5000];

let engine: UtilityProcess | undefined;
let win: BrowserWindow | undefined;
let blocker: number | undefined;
let quitting = false;
let restarts = 0;

function startEngine(): void {
  const args = ['serve', ...(process.env.ABK_CONFIG ? ['--config', process.env.ABK_CONFIG] : [])];
  const child = utilityProcess.fork(ENGINE, args, { stdio: 'pipe', serviceName: 'ABK ABT engine' });
  engine = child;
  child.on('message', (m) => {
    const msg = m as { type: string; url?: string; recording?: boolean };
    if (msg.type === 'ready' && msg.url) { restarts = 0; void showWindow(msg.url); }
    if (msg.type === 'recording') setAwake(Boolean(msg.recording));
  });
  child.on('exit', (code) => {
    engine = undefined;
    if (quitting) { app.quit(); return; }
    // the capture process and the files it writes survive the engine; a new engine finds and finishes them
    const wait = RESTART_MS[Math.min(restarts++, RESTART_MS.length - 1)]!;
    setTimeout(startEngine, wait);
    if (restarts > RESTART_MS.length) dialog.showErrorBox('ABK ABT', `The recording engine stopped (code ${code}) and is being restarted.`);
  });
}

async function showWindow(url: string): Promise<void> {
  if (!win) {
    win = new BrowserWindow({ width: 1400, height: 900, title: 'ABK ABT', webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (e, to) => { if (!to.startsWith(url.split('#')[0]!)) e.preventDefault(); });
    win.on('closed', () => { win = undefined; });
  }
  await win.loadURL(url);
}

function setAwake(recording: boolean): void {
  if (recording && blocker === undefined) blocker = powerSaveBlocker.start('prevent-app-suspension');
  if (!recording && blocker !== undefined) { powerSaveBlocker.stop(blocker); blocker = undefined; }
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => { if (win) { if (win.isMinimized()) win.restore(); win.focus(); } });
  app.on('window-all-closed', () => undefined); // closing the window never stops a recording
  app.on('before-quit', (e) => {
    if (!engine || quitting) return;
    // the engine finishes any recording's files, then exits; the app quits when it has
    e.preventDefault();
    quitting = true;
    engine.postMessage({ type: 'shutdown' });
  });
  void app.whenReady().then(startEngine);
}
