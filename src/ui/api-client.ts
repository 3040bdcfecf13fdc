import type { ApiResult, EngineEvent, RouteInput, RouteName, RouteOutput } from '../shared/api/contract.js';
import type { AppError } from '../shared/result.js';

/** An error from the engine, with its message in the three languages. */
export class ApiError extends Error {
  constructor(readonly error: AppError) {
    super(error.message.en);
  }
}

/** Sign in with the launch's token from the address (`#token=…`), then drop it from the address bar. */
export async function signIn(): Promise<boolean> {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (token) {
    const res = await fetch('/api/session', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    history.replaceState(null, '', location.pathname);
    return res.ok;
  }
  // a reload keeps the session cookie: ask the engine whether it still knows us
  return (await fetch('/api/engine/info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok;
}

/** One call of the engine API; a refusal throws an ApiError the screen shows. */
export async function call<K extends RouteName>(route: K, input: RouteInput<K>): Promise<RouteOutput<K>> {
  const res = await fetch(`/api/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  let body: ApiResult<RouteOutput<K>>;
  try {
    body = (await res.json()) as ApiResult<RouteOutput<K>>;
  } catch {
    throw new ApiError({ code: 'engine-unreachable', message: { en: `The engine answered ${res.status}.`, ru: `Движок ответил ${res.status}.`, kk: `Қозғалтқыш ${res.status} жауап берді.` } });
  }
  if (!body.ok) throw new ApiError(body.error);
  return body.value;
}

/** The engine's events; reconnects by itself and reports whether it is connected. */
export function connectEvents(onEvent: (e: EngineEvent) => void, onConnected: (up: boolean) => void): () => void {
  let ws: WebSocket | undefined;
  let closed = false;
  let retry: number | undefined;
  const open = (): void => {
    ws = new WebSocket(`ws://${location.host}/api/events`);
    ws.onopen = () => onConnected(true);
    ws.onmessage = (m) => onEvent(JSON.parse(String(m.data)) as EngineEvent);
    ws.onclose = () => {
      onConnected(false);
      if (!closed) retry = window.setTimeout(open, 1000);
    };
  };
  open();
  return () => { closed = true; window.clearTimeout(retry); ws?.close(); };
}
