import { existsSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { ROUTES, type ApiResult, type EngineEvent, type RouteName } from '../../shared/api/contract.js';
import { AbkError, appError, toAppError } from '../../shared/result.js';
import { formatIssues } from '../../shared/validation.js';
import { Gate, newToken } from './auth.js';
import { sendFile } from './media.js';

const MAX_BODY = 1 << 20;
/** A socket this far behind gets no more level readings until it catches up (alarms and marks still go). */
const SLOW_SOCKET_BYTES = 1 << 20;

/** What the API serves: the engine, or first-run setup while there is no configuration (engine/setup/setup-service.ts). */
export interface ApiService {
  readonly mode: 'engine' | 'setup';
  readonly handlers: { [K in RouteName]?: (input: never) => unknown };
  /** The file behind `GET /media/<parts>`, chosen by the service (never a path from the request), if there is one. */
  mediaPath(parts: string[]): string | undefined;
  on(event: 'event', listener: (e: EngineEvent) => void): unknown;
  off(event: 'event', listener: (e: EngineEvent) => void): unknown;
}

export interface ApiServer { url: string; token: string; port: number; close(): Promise<void> }

const SECURITY_HEADERS = (port: number): Record<string, string> => ({
  'content-security-policy': `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
});

/**
 * The engine API on loopback: the UI's files, `POST /api/<route>` (JSON in,
 * a result value out), `GET /media/…` (ranged files the engine chose, never a
 * path from the request), and the event socket `/api/events`. Every request
 * but the UI's own files must carry the launch's token; all must come to our
 * own address and, from a browser, from our own page.
 */
export async function startApiServer(service: ApiService, opts: { uiDir: string; port?: number; token?: string }): Promise<ApiServer> {
  let port = 0;
  const gate = new Gate(opts.token ?? newToken(), () => port);
  const uiFiles = existsSync(opts.uiDir) ? new Set(readdirSync(opts.uiDir)) : new Set<string>();
  const sockets = new Set<WebSocket>();

  const send = (res: ServerResponse, status: number, body: ApiResult<unknown>, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS(port), ...headers }).end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => send(res, 500, { ok: false, error: toAppError(e, 'internal') }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const place = gate.checkPlace(req);
    if (place) { send(res, 403, { ok: false, error: place }); return; }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/media/')) {
      const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
      if (!uiFiles.has(name)) {
        const missing = uiFiles.size === 0;
        res.writeHead(missing ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' })
          .end(missing ? `The UI is not built: run "npm run build" (looked in ${opts.uiDir}).` : 'not found');
        return;
      }
      sendFile(req, res, join(opts.uiDir, name), SECURITY_HEADERS(port));
      return;
    }
    const denied = gate.check(req);
    if (denied) { send(res, denied.code === 'api-no-token' ? 401 : 403, { ok: false, error: denied }); return; }
    if (req.method === 'POST' && url.pathname === '/api/session') {
      send(res, 200, { ok: true, value: { signedIn: true } }, { 'set-cookie': gate.sessionCookie() });
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/media/')) { media(req, res, url.pathname.split('/').slice(2)); return; }
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) {
      send(res, 404, { ok: false, error: appError('api-unknown', `There is no ${req.method} ${url.pathname}.`, `Нет такого запроса: ${url.pathname}.`, `Мұндай сұраныс жоқ: ${url.pathname}.`) });
      return;
    }
    const route = url.pathname.slice(5) as RouteName;
    if (!Object.hasOwn(ROUTES, route)) {
      send(res, 404, { ok: false, error: appError('api-unknown', `There is no route "${route}".`, `Нет маршрута «${route}».`, `«${route}» бағыты жоқ.`) });
      return;
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      send(res, 415, { ok: false, error: appError('api-bad-body', 'Refused: send the request as JSON (Content-Type: application/json).', 'Отказано: запрос должен быть в формате JSON.', 'Бас тартылды: сұраныс JSON пішімінде болуы керек.') });
      return;
    }
    const body = await readBody(req);
    let json: unknown;
    try {
      json = body.length === 0 ? {} : JSON.parse(body);
    } catch (e) {
      send(res, 400, { ok: false, error: appError('api-bad-body', `Refused: the body is not valid JSON (${(e as Error).message}).`, 'Отказано: тело запроса — не JSON.', 'Бас тартылды: сұраныс денесі JSON емес.') });
      return;
    }
    const parsed = ROUTES[route].safeParse(json);
    if (!parsed.success) {
      const detail = formatIssues(parsed.error, '; ');
      send(res, 400, { ok: false, error: appError('api-bad-body', `Refused "${route}": ${detail}`, `Отказано «${route}»: ${detail}`, `«${route}» қабылданбады: ${detail}`, detail) });
      return;
    }
    const handler = service.handlers[route] as ((input: unknown) => unknown) | undefined;
    if (!handler) {
      const setup = service.mode === 'setup';
      send(res, 409, { ok: false, error: setup
        ? appError('setup-first', `"${route}" needs this PC set up first: finish the setup screen (or run "abk init").`, `«${route}» доступно после настройки ПК: завершите мастер настройки (или «abk init»).`, `«${route}» ДК бапталғаннан кейін қолжетімді: баптау шеберін аяқтаңыз (немесе «abk init»).`)
        : appError('setup-done', `"${route}" belongs to first-run setup, and this PC is set up: change it in the settings.`, `«${route}» — шаг первой настройки, а ПК уже настроен: меняйте в настройках.`, `«${route}» — алғашқы баптау қадамы, ал ДК бапталған: баптауларда өзгертіңіз.`) });
      return;
    }
    try {
      send(res, 200, { ok: true, value: await handler(parsed.data) });
    } catch (e) {
      if (e instanceof AbkError) { send(res, 409, { ok: false, error: e.appError }); return; }
      throw e;
    }
  }

  function media(req: IncomingMessage, res: ServerResponse, parts: string[]): void {
    const path = service.mediaPath(parts);
    if (!path || !existsSync(path)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    sendFile(req, res, path, { 'cache-control': 'no-store' });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const denied = gate.check(req) ?? (new URL(req.url ?? '/', 'http://x').pathname !== '/api/events' ? appError('api-unknown', 'no such socket', 'нет такого канала', 'мұндай арна жоқ') : undefined);
    if (denied) {
      socket.end(`HTTP/1.1 ${denied.code === 'api-no-token' ? 401 : 403} Refused\r\ncontent-type: application/json\r\n\r\n${JSON.stringify({ ok: false, error: denied })}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // a frame over maxPayload or a broken connection closes this socket (ws sends 1009 or 1002); the UI reconnects
      ws.on('error', (e) => { sockets.delete(ws); process.stderr.write(`api: event socket closed: ${e.message}\n`); });
      ws.on('message', () => undefined); // the socket only listens; requests go through POST
    });
  });

  const broadcast = (e: EngineEvent): void => {
    const text = JSON.stringify(e);
    for (const ws of sockets) {
      if (e.type === 'levels' && ws.bufferedAmount > SLOW_SOCKET_BYTES) continue;
      ws.send(text);
    }
  };
  service.on('event', broadcast);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`, token: gate.token, port,
    close: async () => {
      service.off('event', broadcast);
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // a window that keeps asking (setup's poll, the meters) would hold its keep-alive connection open for ever
      server.closeAllConnections();
      await closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { reject(new AbkError(appError('api-bad-body', 'Refused: the request is larger than 1 MiB.', 'Отказано: запрос больше 1 МиБ.', 'Бас тартылды: сұраныс 1 МиБ-тан үлкен.'))); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
