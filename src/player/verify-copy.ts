import { MEDIUM_INDEX, MEDIUM_README, MEDIUM_SCRIPT, PLAYER_FILE, type MediumIndex } from '../shared/medium-format.js';
import type { HashMessage } from './hash-worker.js';

declare const __ABK_HASH_WORKER__: string;

/** The medium's own files: made with the copy, not part of what it copies. */
const OWN = new Set([MEDIUM_INDEX, MEDIUM_README, PLAYER_FILE, MEDIUM_SCRIPT]);

export interface CopyFinding { path: string; status: 'ok' | 'changed' | 'missing' | 'added'; detail?: string }
export interface CopyReport { ok: boolean; findings: CopyFinding[]; bytes: number; seconds: number }

/**
 * Every file this disc should hold, from the granted folder, hashed in
 * workers and held to the medium's index: changed, missing, and files there
 * that the index does not name.
 */
export async function verifyCopy(index: MediumIndex, files: Map<string, File>, onProgress: (read: number, total: number) => void): Promise<CopyReport> {
  const mine = index.files.filter((f) => f.disc === index.disc.number || f.disc === 0);
  const present = mine.filter((f) => files.has(f.path));
  const total = present.reduce((n, f) => n + f.bytes, 0);
  const listed = new Set(index.files.map((f) => f.path));
  const findings: CopyFinding[] = [
    ...mine.filter((f) => !files.has(f.path)).map((f) => ({ path: f.path, status: 'missing' as const })),
    ...[...files.keys()].filter((p) => !listed.has(p) && !OWN.has(p)).map((p) => ({ path: p, status: 'added' as const })),
  ];
  const t0 = performance.now();
  // one worker per core (at most four), each given the biggest file left: both hashes of a file in one read
  const order = [...present].sort((a, b) => b.bytes - a.bytes);
  const workers = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2, order.length));
  const url = URL.createObjectURL(new Blob([__ABK_HASH_WORKER__], { type: 'text/javascript' }));
  let read = 0;
  const one = (): Promise<void> => new Promise((resolve, reject) => {
    const worker = new Worker(url);
    const next = (): void => {
      const f = order.shift();
      if (!f) { worker.terminate(); resolve(); return; }
      worker.postMessage({ files: [{ path: f.path, file: files.get(f.path)! }] });
    };
    worker.onerror = (e) => { worker.terminate(); reject(new Error(e.message || 'the verifying worker failed')); };
    worker.onmessage = (e: MessageEvent<HashMessage>) => {
      const m = e.data;
      if (m.type === 'progress') { read += m.bytes; onProgress(read, total); return; }
      if (m.type === 'error') { findings.push({ path: m.path, status: 'changed', detail: m.message }); return; }
      if (m.type === 'file') {
        const f = present.find((x) => x.path === m.path)!;
        const same = m.bytes === f.bytes && m.md5 === f.md5 && m.sha256 === f.sha256;
        findings.push(same ? { path: m.path, status: 'ok' } : { path: m.path, status: 'changed', detail: `${m.bytes} B, MD5 ${m.md5} ≠ ${f.md5}` });
        return;
      }
      next();
    };
    next();
  });
  try {
    await Promise.all(Array.from({ length: workers }, one));
  } finally {
    URL.revokeObjectURL(url);
  }
  const bad = findings.filter((x) => x.status !== 'ok');
  return { ok: bad.length === 0, findings: [...bad, ...findings.filter((x) => x.status === 'ok')], bytes: read, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The granted files by their path on the medium: a picked folder's own name
 * taken off each relative path; files picked one by one (a browser without
 * folder picking) placed by their name, which the index knows.
 */
export function byMediumPath(list: FileList | File[], index: MediumIndex): Map<string, File> {
  const out = new Map<string, File>();
  const known = new Map([...index.files.map((f) => f.path), MEDIUM_INDEX].map((p) => [p.split('/').at(-1)!, p] as const));
  for (const f of Array.from(list)) {
    const rel = f.webkitRelativePath ? f.webkitRelativePath.split('/').slice(1).join('/') : known.get(f.name) ?? f.name;
    out.set(rel, f);
  }
  return out;
}
