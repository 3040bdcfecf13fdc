/**
 * The manifest's seal checked in the page, with WebCrypto only: the detached
 * CMS signature (`<base>_manifest.p7s`, DER) is parsed, its message digest
 * held to the manifest's SHA-256, and its signature over the signed
 * attributes verified with the signer's certificate carried in it (ECDSA
 * P-256 as the appliance signs, or RSA). Whether that signer is to be
 * trusted is not for a page to say: it shows the certificate's fingerprint,
 * which the protocol prints and IT's list names.
 */
export type SealResult =
  | { state: 'valid'; fingerprint: string }
  | { state: 'invalid' | 'unsupported'; fingerprint?: string; detail: string };

interface Tlv { tag: number; start: number; body: number; end: number }

function tlv(b: Uint8Array, at: number): Tlv {
  if (at + 2 > b.length) throw new Error('DER cut short');
  const tag = b[at]!;
  let len = b[at + 1]!;
  let body = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER length not supported');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i]!;
    body += n;
  }
  if (body + len > b.length) throw new Error('DER cut short');
  return { tag, start: at, body, end: body + len };
}

function kids(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = t.body; at < t.end;) { const c = tlv(b, at); out.push(c); at = c.end; }
  return out;
}

const bytesOf = (b: Uint8Array, t: Tlv): Uint8Array => b.subarray(t.start, t.end);
const bodyOf = (b: Uint8Array, t: Tlv): Uint8Array => b.subarray(t.body, t.end);
const same = (x: Uint8Array, y: Uint8Array): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
const oid = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
const MESSAGE_DIGEST = oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x04);
const EC_PUBLIC_KEY = oid(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01);
const P256 = oid(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
const RSA = oid(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);
const SHA256 = oid(0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01);

const hex = (b: ArrayBuffer): string => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
/** As `openssl x509 -fingerprint -sha256` prints it. */
const colons = (h: string): string => h.toUpperCase().match(/../g)!.join(':');
/** A copy of exactly these bytes (a Node Buffer is a view into a bigger pool). */
const buf = (u: Uint8Array): ArrayBuffer => new Uint8Array(u).buffer;

/** An ECDSA signature's DER (two INTEGERs) as the 64 bytes r‖s WebCrypto takes. */
function rawEcdsa(der: Uint8Array): Uint8Array {
  const seq = tlv(der, 0);
  const out = new Uint8Array(64);
  kids(der, seq).forEach((n, i) => {
    let v = bodyOf(der, n);
    while (v.length > 32 && v[0] === 0) v = v.subarray(1);
    out.set(v, i * 32 + 32 - v.length);
  });
  return out;
}

export async function checkSeal(manifest: Uint8Array, p7s: Uint8Array): Promise<SealResult> {
  let fingerprint: string | undefined;
  try {
    const subtle = globalThis.crypto.subtle;
    const info = tlv(p7s, 0);
    const signedData = tlv(p7s, kids(p7s, info)[1]!.body); // [0] EXPLICIT SignedData
    const parts = kids(p7s, signedData);
    const certs = parts.find((p) => p.tag === 0xa0);
    const signerInfos = parts.at(-1)!;
    const signer = kids(p7s, signerInfos)[0]!;
    const s = kids(p7s, signer);
    const sid = s[1]!;
    const serial = bodyOf(p7s, kids(p7s, sid)[1]!);
    const digestAlg = bodyOf(p7s, kids(p7s, s[2]!)[0]!);
    const attrs = s.find((x) => x.tag === 0xa0);
    const signature = bodyOf(p7s, s.find((x, i) => i > 2 && x.tag === 0x04)!);
    if (!certs) return { state: 'unsupported', detail: 'the seal carries no certificate' };
    if (!attrs) return { state: 'unsupported', detail: 'the seal has no signed attributes' };
    if (!same(digestAlg, SHA256)) return { state: 'unsupported', detail: 'the seal\'s digest is not SHA-256' };
    // the signer's certificate: the one whose serial the signer names
    const cert = kids(p7s, certs).find((c) => {
      const tbs = kids(p7s, kids(p7s, c)[0]!);
      return same(bodyOf(p7s, tbs[tbs[0]!.tag === 0xa0 ? 1 : 0]!), serial);
    });
    if (!cert) return { state: 'invalid', detail: 'the seal does not carry its signer\'s certificate' };
    fingerprint = colons(hex(await subtle.digest('SHA-256', buf(bytesOf(p7s, cert)))));
    // the manifest's digest must be the one signed
    const digest = new Uint8Array(await subtle.digest('SHA-256', buf(manifest)));
    const md = kids(p7s, attrs).map((a) => kids(p7s, a)).find((a) => same(bodyOf(p7s, a[0]!), MESSAGE_DIGEST));
    if (!md) return { state: 'invalid', fingerprint, detail: 'the seal names no message digest' };
    if (!same(bodyOf(p7s, kids(p7s, md[1]!)[0]!), digest)) return { state: 'invalid', fingerprint, detail: 'the seal is over another manifest: this one was changed, or the seal moved' };
    // the signature is over the signed attributes as a SET (their [0] tag made 0x31)
    const signed = new Uint8Array(bytesOf(p7s, attrs));
    signed[0] = 0x31;
    const tbs = kids(p7s, kids(p7s, cert)[0]!);
    const spki = tbs[tbs[0]!.tag === 0xa0 ? 6 : 5]!;
    const alg = kids(p7s, kids(p7s, spki)[0]!);
    const algOid = bodyOf(p7s, alg[0]!);
    let ok: boolean;
    if (same(algOid, EC_PUBLIC_KEY) && alg[1] && same(bodyOf(p7s, alg[1]), P256)) {
      const key = await subtle.importKey('spki', buf(bytesOf(p7s, spki)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
      ok = await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(rawEcdsa(signature)), buf(signed));
    } else if (same(algOid, RSA)) {
      const key = await subtle.importKey('spki', buf(bytesOf(p7s, spki)), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
      ok = await subtle.verify('RSASSA-PKCS1-v1_5', key, buf(signature), buf(signed));
    } else {
      return { state: 'unsupported', fingerprint, detail: 'the signer\'s key is neither ECDSA P-256 nor RSA: check it with abk verify' };
    }
    return ok ? { state: 'valid', fingerprint } : { state: 'invalid', fingerprint, detail: 'the signature does not hold' };
  } catch (e) {
    return { state: 'invalid', ...(fingerprint ? { fingerprint } : {}), detail: `the seal cannot be read: ${(e as Error).message}` };
  }
}
