import { Client } from 'ssh2';

/**
 * The host key a server presents, taken during the key exchange: the
 * connection is refused right after, so nothing is sent and no login is tried.
 * For `abk replicate trust`: IT compares the fingerprint with the server's own
 * (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` there) before pinning it.
 */
export function probeHostKey(host: string, port: number, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    const done = (): void => { client.end(); if (key) resolve(key); else reject(new Error(`${host}:${port} presented no SSH host key`)); };
    client.on('error', (e) => { if (key) done(); else reject(e); });
    client.on('close', done);
    client.connect({ host, port, username: 'abk-probe', readyTimeout: timeoutMs, hostVerifier: (k: Buffer) => { key = k; return false; } });
  });
}
