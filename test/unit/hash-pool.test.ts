import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashAll } from '../../src/engine/package/hash-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hashAll, the files spread over processes', () => {
  it('gives md5sum\'s and sha256sum\'s digests, tells every byte read as it is read, and a missing file as a result', async () => {
    // past the size hashed in this process: two processes, each telling its progress every 32 MiB
    const files = [45, 30].map((mib, i) => {
      const path = join(dir, `f${i}.bin`);
      writeFileSync(path, Buffer.concat(Array.from({ length: mib }, () => randomBytes(1 << 20))));
      return { path, bytes: mib << 20 };
    });
    const told: number[] = [];
    const missing = { path: join(dir, 'gone.bin'), bytes: 10 };
    const r = await hashAll([...files, missing], 2, (n) => told.push(n));
    for (const [i, f] of files.entries()) {
      expect(r[i]).toEqual({
        ok: true, bytes: f.bytes,
        md5: execFileSync('md5sum', [f.path], { encoding: 'utf8' }).split(' ')[0],
        sha256: execFileSync('sha256sum', [f.path], { encoding: 'utf8' }).split(' ')[0],
      });
    }
    expect(r[2]).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(told.reduce((a, b) => a + b, 0)).toBe(files[0]!.bytes + files[1]!.bytes);
    expect(told.length).toBeGreaterThan(2); // a progress line before the 45 MiB file was done, not only one per file
  });
});
