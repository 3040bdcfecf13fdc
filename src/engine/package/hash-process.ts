/**
 * A hash process: MD5 and SHA-256 of each file it is sent, in one read pass,
 * off the caller's thread (hash-pool.ts), so `abk verify` uses every core.
 */
import { hashFile } from '../../capture/audio/hash-file.js';
import type { HashReply, HashRequest } from './hash-pool.js';

const send = (m: HashReply): void => {
  process.send?.(m);
};

/** How often a file's progress is told, in bytes read. */
const TELL_BYTES = 32 * 1024 * 1024;

process.on('message', (job: HashRequest) => {
  let untold = 0;
  const onBytes = (n: number): void => {
    untold += n;
    if (untold < TELL_BYTES) return;
    send({ type: 'progress', id: job.id, bytes: untold });
    untold = 0;
  };
  hashFile(job.path, onBytes).then((h) => send({ type: 'done', id: job.id, ...h }), (e: NodeJS.ErrnoException) => send({ type: 'failed', id: job.id, code: e.code ?? 'EIO', message: e.message }));
});
process.on('disconnect', () => process.exit(0));
