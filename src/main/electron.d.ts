/**
 * The few Electron APIs the supervisor uses. Electron is an optional
 * dependency whose install downloads a binary (not possible on every build
 * machine), so its own typings may be absent; these declarations keep the
 * main process type-checked either way and mirror Electron's documented API.
 */
declare module 'electron' {
  interface UtilityProcess {
    pid: number | undefined;
    stdout: NodeJS.ReadableStream | null;
    postMessage(message: unknown): void;
    kill(): boolean;
    on(event: 'message', listener: (message: unknown) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
  }
  export const utilityProcess: { fork(modulePath: string, args?: string[], options?: { stdio?: 'pipe' | 'inherit'; serviceName?: string }): UtilityProcess };
  export class BrowserWindow {
    constructor(options: { width?: number; height?: number; title?: string; webPreferences?: { sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean } });
    loadURL(url: string): Promise<void>;
    isMinimized(): boolean;
    restore(): void;
    focus(): void;
    on(event: 'closed', listener: () => void): this;
    webContents: { setWindowOpenHandler(handler: () => { action: 'deny' }): void; on(event: 'will-navigate', listener: (e: { preventDefault(): void }, url: string) => void): void };
  }
  export const app: {
    requestSingleInstanceLock(): boolean;
    quit(): void;
    whenReady(): Promise<void>;
    getPath(name: 'userData'): string;
    on(event: 'second-instance' | 'window-all-closed', listener: () => void): void;
    on(event: 'before-quit', listener: (e: { preventDefault(): void }) => void): void;
  };
  export const powerSaveBlocker: { start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number; stop(id: number): void };
  export const dialog: { showErrorBox(title: string, content: string): void };
}
