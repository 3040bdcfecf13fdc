/** Messages between the engine and whoever supervises it (`abk serve`, or the desktop app's main process). */
export type ToSupervisor = { type: 'ready'; url: string; pid: number } | { type: 'recording'; recording: boolean };
export type FromSupervisor = { type: 'shutdown' };
