import { createHash } from 'node:crypto';

/** One pinned key: the key itself (from a `known_hosts` line) or its `SHA256:` fingerprint. */
export type PinnedKey = { kind: 'key'; type: string; blob: Buffer } | { kind: 'fingerprint'; sha256: string };

const KEY_TYPE = /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** OpenSSH's fingerprint of a key blob: `SHA256:` and the unpadded base64 of its SHA-256. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type written inside a blob (its first SSH string), e.g. `ssh-ed25519`. */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return n > 0 && n < 64 && blob.length >= 4 + n ? blob.subarray(4, 4 + n).toString('latin1') : 'unknown';
}

/** How a key is shown to IT staff: what `ssh-keygen -lf` and `ssh-keyscan` would show. */
export function describeKey(blob: Buffer): string {
  return `${keyType(blob)} ${fingerprint(blob)}`;
}

/** The `known_hosts` line of a key, to paste into `hostKeys`. */
export function keyLine(blob: Buffer): string {
  return `${keyType(blob)} ${blob.toString('base64')}`;
}

/**
 * Reads `hostKeys` entries: a `known_hosts` line (`[host]:port type base64 …`),
 * its key part (`type base64`) or a fingerprint. A line that is none of these
 * is an error naming it, never skipped: a typo must not unpin a server.
 */
export function parsePinned(lines: readonly string[]): { ok: true; value: PinnedKey[] } | { ok: false; error: string } {
  const keys: PinnedKey[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (/^SHA256:[A-Za-z0-9+/]{43}$/.test(text)) { keys.push({ kind: 'fingerprint', sha256: text }); continue; }
    const words = text.split(/\s+/);
    const at = words.findIndex((w) => KEY_TYPE.test(w));
    const b64 = at >= 0 ? words[at + 1] : undefined;
    const blob = b64 && /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : undefined;
    if (!blob || keyType(blob) !== words[at]) {
      return { ok: false, error: `"${text.slice(0, 60)}" is not a host key: give a known_hosts line ("ssh-ed25519 AAAA…") or a fingerprint ("SHA256:…")` };
    }
    keys.push({ kind: 'key', type: words[at]!, blob });
  }
  return { ok: true, value: keys };
}

export function keyMatches(pinned: readonly PinnedKey[], blob: Buffer): boolean {
  const fp = fingerprint(blob);
  return pinned.some((p) => (p.kind === 'key' ? p.blob.equals(blob) : p.sha256 === fp));
}
