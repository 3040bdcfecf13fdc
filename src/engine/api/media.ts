import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  webm: 'audio/webm', mp4: 'video/mp4', bin: 'application/octet-stream', jpg: 'image/jpeg',
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml', map: 'application/json',
};

export const contentType = (path: string): string => TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

/**
 * A file streamed with HTTP ranges, so the browser fetches only the part of
 * a four-hour recording it plays or seeks to, never the whole of it.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string> = {}): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const base = { 'content-type': contentType(path), 'accept-ranges': 'bytes', ...headers };
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (!m || (m[1] === '' && m[2] === '')) {
    res.writeHead(200, { ...base, 'content-length': String(size) });
    if (req.method === 'HEAD') { res.end(); return; }
    stream(path, res);
    return;
  }
  // `bytes=A-B`, `bytes=A-` (to the end) or `bytes=-N` (the last N bytes)
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] !== '' && m[2] !== '' ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (start >= size || start > end) {
    res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    return;
  }
  res.writeHead(206, { ...base, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1) });
  if (req.method === 'HEAD') { res.end(); return; }
  stream(path, res, { start, end });
}

/**
 * A file gone between the size check and the read (a preview frame replaced,
 * the pre-session check's folder removed) or a reader that went away ends this
 * one response, never the engine.
 */
function stream(path: string, res: ServerResponse, range?: { start: number; end: number }): void {
  pipeline(createReadStream(path, range), res, (e) => {
    if (e && !res.destroyed) res.destroy(e);
  });
}
