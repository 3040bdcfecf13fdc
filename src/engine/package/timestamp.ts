import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inScratch, opensslError as stderrOf, runOpenssl as run } from './openssl.js';

/** Where the appliance asks for RFC 3161 timestamps, and how long it waits for one. */
export interface TsaSettings { url: string; timeoutMs: number }

export type TimestampCheck =
  | { state: 'valid'; time: string; epoch: number; tsa: string; trusted: boolean | undefined }
  | { state: 'missing' }
  | { state: 'invalid'; detail: string }
  | { state: 'untrusted'; time: string; epoch: number; tsa: string; detail: string };

/**
 * An RFC 3161 timestamp over a seal (the signature's bytes) from the
 * configured TSA: the query asks for the TSA's certificate so the reply
 * carries what checks it. The reply is checked before it is returned (granted,
 * over these bytes): a TSA that answers with something else is an error.
 */
export async function requestTimestamp(data: Buffer, tsa: TsaSettings, openssl = 'openssl'): Promise<Buffer> {
  return inScratch('abk-tsq-', async (dir) => {
    const dataPath = join(dir, 'data');
    const query = join(dir, 'query.tsq');
    writeFileSync(dataPath, data);
    await run(openssl, ['ts', '-query', '-data', dataPath, '-sha256', '-cert', '-out', query]);
    let reply: Buffer;
    try {
      const res = await fetch(tsa.url, {
        method: 'POST', headers: { 'content-type': 'application/timestamp-query' }, body: readFileSync(query), signal: AbortSignal.timeout(tsa.timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
      reply = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      throw new Error(`the timestamp server ${safeUrl(tsa.url)} did not answer: ${(e as Error).message}`);
    }
    const replyPath = join(dir, 'reply.tsr');
    writeFileSync(replyPath, reply);
    const check = await checkTimestamp(replyPath, dataPath, [], openssl);
    if (check.state !== 'valid') throw new Error(`the timestamp server ${safeUrl(tsa.url)} answered with no usable timestamp: ${'detail' in check ? check.detail : check.state}`);
    return reply;
  });
}

/** A TSA's address without any user or password in it, for messages and logs. */
export const safeUrl = (url: string): string => url.replace(/\/\/[^/@]*@/, '//');

/**
 * Check a timestamp reply (`tsr`) over the file `data`: granted, its imprint
 * that file's SHA-256 (a reply moved from another sitting fails here) and its
 * signature good. Without `trusted` the TSA is checked against the certificate
 * it carries (the reply's bytes only); with it the TSA must chain to one of
 * those PEM files, else it is untrusted.
 */
export async function checkTimestamp(tsr: string, data: string, trusted: string[], openssl = 'openssl'): Promise<TimestampCheck> {
  if (!existsSync(tsr)) return { state: 'missing' };
  return inScratch('abk-tsr-', async (dir) => {
    let time: string;
    let tsa: string;
    const own = join(dir, 'own.pem');
    try {
      const text = (await run(openssl, ['ts', '-reply', '-in', tsr, '-text'])).stdout;
      if (!/Status:\s*Granted/i.test(text)) return { state: 'invalid', detail: `not granted: ${/Status info:[\s\S]*?\n(.+)/.exec(text)?.[1]?.trim() ?? 'no status'}` };
      time = /Time stamp:\s*(.+)/.exec(text)?.[1]?.trim() ?? '';
      tsa = /TSA:\s*(.+)/.exec(text)?.[1]?.trim() ?? 'unnamed';
      const token = join(dir, 'token.p7');
      await run(openssl, ['ts', '-reply', '-in', tsr, '-token_out', '-out', token]);
      await run(openssl, ['pkcs7', '-inform', 'DER', '-in', token, '-print_certs', '-out', own]);
    } catch (e) {
      return { state: 'invalid', detail: stderrOf(e) };
    }
    const epoch = Math.round(Date.parse(time) / 1000);
    if (!Number.isFinite(epoch)) return { state: 'invalid', detail: `no readable time ("${time}")` };
    const verify = (caFile: string): Promise<unknown> => run(openssl, ['ts', '-verify', '-in', tsr, '-data', data, '-CAfile', caFile, '-partial_chain']);
    const carries = readFileSync(own, 'utf8').includes('BEGIN CERTIFICATE');
    if (trusted.length === 0) {
      if (!carries) return { state: 'invalid', detail: 'the reply carries no TSA certificate to check it with: give the TSA\'s certificate' };
      try {
        await verify(own);
      } catch (e) {
        return { state: 'invalid', detail: stderrOf(e) };
      }
      return { state: 'valid', time, epoch, tsa, trusted: undefined };
    }
    const caFile = join(dir, 'trusted.pem');
    writeFileSync(caFile, trusted.map((t) => readFileSync(t, 'utf8')).join('\n'));
    try {
      await verify(caFile);
      return { state: 'valid', time, epoch, tsa, trusted: true };
    } catch (e) {
      // over the right bytes but by a TSA not trusted, or not over them at all: the second is the worse finding
      if (carries) {
        try {
          await verify(own);
        } catch (inner) {
          return { state: 'invalid', detail: stderrOf(inner) };
        }
      }
      return { state: 'untrusted', time, epoch, tsa, detail: stderrOf(e) };
    }
  });
}
