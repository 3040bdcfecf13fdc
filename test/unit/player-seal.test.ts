import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSeal } from '../../src/player/seal-check.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-player-seal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8' });

/** A key and certificate of the kind given, and a manifest sealed with them the way the appliance seals (openssl cms -sign). */
function sealed(kind: 'ec' | 'rsa', name: string, text: string): { manifest: Uint8Array; p7s: Uint8Array; fingerprint: string } {
  openssl('genpkey', '-algorithm', kind === 'ec' ? 'EC' : 'RSA', ...(kind === 'ec' ? ['-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-pkeyopt', 'rsa_keygen_bits:2048']), '-out', `${name}.key`);
  openssl('req', '-new', '-x509', '-key', `${name}.key`, '-out', `${name}.pem`, '-days', '30', '-sha256', '-subj', `/O=ABK ABT/CN=Сот залы 305 ${name}`);
  writeFileSync(join(dir, `${name}.json`), text);
  openssl('cms', '-sign', '-binary', '-md', 'sha256', '-in', `${name}.json`, '-signer', `${name}.pem`, '-inkey', `${name}.key`, '-outform', 'DER', '-out', `${name}.p7s`);
  const fingerprint = openssl('x509', '-in', `${name}.pem`, '-noout', '-fingerprint', '-sha256').trim().split('=')[1]!;
  return { manifest: readFileSync(join(dir, `${name}.json`)), p7s: readFileSync(join(dir, `${name}.p7s`)), fingerprint };
}

describe('the portable player checks the manifest\'s seal with WebCrypto', () => {
  for (const kind of ['ec', 'rsa'] as const) {
    it(`${kind === 'ec' ? 'ECDSA P-256 (the appliance\'s key)' : 'RSA'}: valid over its manifest, with the fingerprint openssl gives; not over a manifest changed by one byte; not with another manifest's seal`, async () => {
      const a = sealed(kind, `${kind}-a`, '{"base":"Іс-2_ә"}\n');
      const b = sealed(kind, `${kind}-b`, '{"base":"other"}\n');
      expect(await checkSeal(a.manifest, a.p7s)).toEqual({ state: 'valid', fingerprint: a.fingerprint });
      const changed = Uint8Array.from(a.manifest);
      changed[3] = changed[3]! ^ 1;
      expect(await checkSeal(changed, a.p7s)).toMatchObject({ state: 'invalid', detail: expect.stringContaining('over another manifest') });
      expect(await checkSeal(a.manifest, b.p7s)).toMatchObject({ state: 'invalid', fingerprint: b.fingerprint });
      // the signature itself broken (the digest left as it was)
      const forged = Uint8Array.from(a.p7s);
      forged[forged.length - 5] = forged[forged.length - 5]! ^ 1;
      expect((await checkSeal(a.manifest, forged)).state).toBe('invalid');
      expect((await checkSeal(a.manifest, a.p7s.subarray(0, 100))).state).toBe('invalid');
    });
  }
});
