/**
 * A hash process: MD5 and SHA-256 of each file it is sent, in one read pass,
 * off the caller's thread (hash-pool.ts), so `abk verify` uses every core.
 */
import { hashFile } from '../../capture/audio/hash-file.js';
import type { HashReply, HashRequest } from './hash-pool.js';

const send = (m: HashReply): void => {
  process.send?.(m);
};

process.on('message', (job: HashRequest) => {
  hashFile(job.path).then((h) => send({ type: 'done', id: job.id, ...h }), (e: NodeJS.ErrnoException) => send({ type: 'failed', id: job.id, code: e.code ?? 'EIO', message: e.message }));
});
process.on('disconnect', () => process.exit(0));
