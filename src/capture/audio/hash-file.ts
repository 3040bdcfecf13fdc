import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** MD5 and SHA-256 of a file, read in 1 MiB blocks (the fastest way measured in Node). */
export async function hashFile(path: string): Promise<{ md5: string; sha256: string; bytes: number }> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  const fh = await open(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const view = buf.subarray(0, bytesRead);
      md5.update(view);
      sha256.update(view);
      bytes += bytesRead;
    }
  } finally {
    await fh.close();
  }
  return { md5: md5.digest('hex'), sha256: sha256.digest('hex'), bytes };
}
