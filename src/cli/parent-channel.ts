import type { FromSupervisor, ToSupervisor } from '../shared/supervisor-messages.js';

interface ParentPort { postMessage(m: unknown): void; on(e: 'message', l: (m: { data: unknown }) => void): void }

/**
 * The engine's line to its supervisor: Electron's `parentPort` in a utility
 * process, Node's IPC channel under `abk serve`, or nothing when run alone.
 */
export function parentChannel(): { post(m: ToSupervisor): void; onMessage(l: (m: FromSupervisor) => void): void } | undefined {
  const port = (process as { parentPort?: ParentPort }).parentPort;
  if (port) return { post: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data as FromSupervisor)) };
  const send = process.send?.bind(process);
  if (send) {
    return {
      post: (m) => { if (process.connected) send(m); },
      onMessage: (l) => process.on('message', (m) => l(m as FromSupervisor)),
    };
  }
  return undefined;
}
