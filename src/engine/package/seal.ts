import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AbkConfig } from '../../shared/config.js';
import type { TsaSettings } from './timestamp.js';

import { inScratch, opensslError, runOpenssl as run } from './openssl.js';

/** The appliance's signing identity: its private key (mode 0600, never logged or copied) and its certificate with any chain above it. */
export interface SealIdentity {
  keyPath: string; certPath: string; chainPath: string | undefined; openssl: string;
  /** The TSA that timestamps each seal (RFC 3161); none: seals carry no timestamp. */
  tsa?: TsaSettings | undefined;
}

export const sealNames = {
  signature: (base: string): string => `${base}_manifest.p7s`,
  /** The signer's certificate (and its chain) as PEM, so the folder carries what checks it. */
  signer: (base: string): string => `${base}_signer.pem`,
  /** An earlier revision's signature, kept with that revision. */
  revision: (base: string, revision: number): string => `${base}_manifest.r${revision}.p7s`,
  /** The RFC 3161 timestamp of the seal (over the `.p7s` bytes). */
  timestamp: (base: string): string => `${base}_manifest.tsr`,
  revisionTimestamp: (base: string, revision: number): string => `${base}_manifest.r${revision}.tsr`,
};

/**
 * This PC's signing identity, made at first use in `keyDir`: an ECDSA P-256
 * key readable by its owner only, and a self-issued certificate naming the
 * appliance (ten years). A court CA's certificate for the same key, with its
 * chain, replaces it when IT puts `appliance.crt` and `chain.pem` there.
 */
export function applianceIdentity(keyDir: string, openssl = 'openssl'): Promise<SealIdentity> {
  // one making at a time per folder (two finalizes at once must not make two keys); a failure is tried again next time
  let made = identities.get(keyDir);
  if (!made) {
    made = makeIdentity(keyDir, openssl);
    identities.set(keyDir, made);
    made.catch(() => identities.delete(keyDir)); // the caller gets the error itself
  }
  return made;
}

const identities = new Map<string, Promise<SealIdentity>>();

/** Where the configuration keeps the appliance's key (`seal.keyDir`, else `<recordingsRoot>/.seal`). */
export const keyDirOf = (config: AbkConfig): string => config.seal.keyDir ?? join(config.recordingsRoot, '.seal');

/** The appliance's identity as the configuration has it: its key, and the TSA that timestamps its seals. */
export async function configuredIdentity(config: AbkConfig): Promise<SealIdentity> {
  const { openssl, tsa } = config.seal;
  const identity = await applianceIdentity(keyDirOf(config), openssl);
  return tsa ? { ...identity, tsa: { url: tsa.url, timeoutMs: tsa.timeoutSeconds * 1000 } } : identity;
}

async function makeIdentity(keyDir: string, openssl: string): Promise<SealIdentity> {
  const keyPath = join(keyDir, 'appliance.key');
  const certPath = join(keyDir, 'appliance.crt');
  const chain = join(keyDir, 'chain.pem');
  if (!existsSync(keyPath)) {
    mkdirSync(keyDir, { recursive: true, mode: 0o700 });
    chmodSync(keyDir, 0o700);
    const tmp = `${keyPath}.tmp`;
    rmSync(tmp, { force: true });
    await run(openssl, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', tmp]);
    chmodSync(tmp, 0o600);
    renameSync(tmp, keyPath);
    rmSync(certPath, { force: true }); // a certificate of another key is no use
  }
  if (!existsSync(certPath)) {
    const tmp = `${certPath}.tmp`;
    const cn = `ABK ABT appliance ${hostname().replace(/[/=+,]/g, '-')}`.slice(0, 64);
    await run(openssl, ['req', '-new', '-x509', '-key', keyPath, '-out', tmp, '-days', '3650', '-sha256', '-subj', `/O=ABK ABT/CN=${cn}`,
      '-addext', 'keyUsage=critical,digitalSignature,nonRepudiation', '-addext', 'basicConstraints=critical,CA:FALSE']);
    renameSync(tmp, certPath);
  }
  // a certificate IT put there must be this key's: else every seal would fail its check
  const [certKey, ownKey] = await Promise.all([run(openssl, ['x509', '-in', certPath, '-noout', '-pubkey']), run(openssl, ['pkey', '-in', keyPath, '-pubout'])]);
  if (certKey.stdout.trim() !== ownKey.stdout.trim()) {
    throw new Error(`appliance.crt in ${keyDir} is not the certificate of appliance.key there: put the certificate issued for this key in its place, or remove it and a self-issued one is made`);
  }
  return { keyPath, certPath, chainPath: existsSync(chain) ? chain : undefined, openssl };
}

/** The SHA-256 fingerprint of a PEM certificate, as `openssl x509 -fingerprint` gives it (AB:CD:…). */
export async function fingerprint(certPath: string, openssl = 'openssl'): Promise<string> {
  const { stdout } = await run(openssl, ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256']);
  return stdout.trim().replace(/^.*=/, '');
}

/**
 * The seal of a manifest: a detached CMS signature over its exact bytes
 * (`-binary`: nothing canonicalised), the signer's certificate (and chain)
 * inside. Made before anything is placed, so a failure changes nothing.
 */
export async function signManifest(bytes: Buffer, id: SealIdentity): Promise<Buffer> {
  return inScratch('abk-sign-', async (scratch) => {
    const input = join(scratch, 'manifest.json');
    const out = join(scratch, 'manifest.p7s');
    writeFileSync(input, bytes);
    await run(id.openssl, ['cms', '-sign', '-binary', '-md', 'sha256', '-in', input, '-signer', id.certPath, '-inkey', id.keyPath,
      '-outform', 'DER', '-out', out, ...(id.chainPath ? ['-certfile', id.chainPath] : [])]);
    return readFileSync(out);
  });
}

/** The signer's certificate and its chain as PEM: the folder carries what checks its seal. */
export const signerPem = (id: SealIdentity): string => readFileSync(id.certPath, 'utf8') + (id.chainPath ? readFileSync(id.chainPath, 'utf8') : '');

export type SealCheck =
  | { state: 'valid'; signer: string; trusted: boolean | undefined }
  | { state: 'missing' }
  | { state: 'invalid'; detail: string }
  | { state: 'untrusted'; signer: string; detail: string };

/**
 * Check a manifest's seal (`p7s`, over the file `content`) with openssl:
 * the signature must be over these exact bytes; with `trusted` (PEM files of the court CA or of appliances),
 * the signer must chain to one of them, else it is untrusted. `attime`
 * (seconds since the epoch: a timestamp's time) checks the chain as it was
 * then, so a certificate that expired since still proves the seal.
 */
export async function checkSeal(p7s: string, content: string, trusted: string[], openssl = 'openssl', attime?: number): Promise<SealCheck> {
  if (!existsSync(p7s)) return { state: 'missing' };
  const common = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', p7s, '-content', content, '-out', '/dev/null'];
  return inScratch('abk-seal-', async (scratch) => {
    const signerOut = join(scratch, 'signer.pem');
    try {
      await run(openssl, [...common, '-noverify', '-signer', signerOut]);
    } catch (e) {
      return { state: 'invalid', detail: opensslError(e) };
    }
    const signer = await fingerprint(signerOut, openssl);
    if (trusted.length === 0) return { state: 'valid', signer, trusted: undefined };
    const caFile = join(scratch, 'trusted.pem');
    writeFileSync(caFile, trusted.map((t) => readFileSync(t, 'utf8')).join('\n'));
    try {
      await run(openssl, [...common, '-CAfile', caFile, '-purpose', 'any', '-partial_chain', ...(attime !== undefined ? ['-attime', String(attime)] : [])]);
      return { state: 'valid', signer, trusted: true };
    } catch (e) {
      return { state: 'untrusted', signer, detail: opensslError(e) };
    }
  });
}

