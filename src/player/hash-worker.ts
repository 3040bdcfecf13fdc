/// <reference lib="webworker" />
import { createMD5, createSHA256 } from 'hash-wasm';

/**
 * "Verify this copy", off the page's thread: MD5 and SHA-256 of each picked
 * file in one streamed pass (4 MiB at a time, never a whole file), with the
 * bytes read told as it goes. Started from a blob, as a worker cannot be
 * started from a file:// address.
 */
export type HashJob = { files: { path: string; file: File }[] };
export type HashMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'file'; path: string; md5: string; sha256: string; bytes: number }
  | { type: 'error'; path: string; message: string }
  | { type: 'done' };

const CHUNK = 4 << 20;
const post = (m: HashMessage): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);

self.onmessage = async (e: MessageEvent<HashJob>) => {
  const md5 = await createMD5();
  const sha = await createSHA256();
  for (const { path, file } of e.data.files) {
    md5.init();
    sha.init();
    try {
      for (let at = 0; at < file.size; at += CHUNK) {
        const bytes = new Uint8Array(await file.slice(at, Math.min(file.size, at + CHUNK)).arrayBuffer());
        md5.update(bytes);
        sha.update(bytes);
        post({ type: 'progress', bytes: bytes.length });
      }
      post({ type: 'file', path, md5: md5.digest('hex'), sha256: sha.digest('hex'), bytes: file.size });
    } catch (err) {
      post({ type: 'error', path, message: err instanceof Error ? err.message : String(err) });
    }
  }
  post({ type: 'done' });
};
