/**
 * A join process: builds the microphone files it is sent, one at a time, off
 * the engine's thread (join-pool.ts). Joining is reading, writing and hashing
 * gigabytes; here it runs at a lower priority on its own core.
 */
import type { JoinReply, JoinRequest } from './join-pool.js';
import { joinWav } from './wav-join.js';

const send = (m: JoinReply): void => {
  process.send?.(m);
};

process.on('message', (job: JoinRequest) => {
  let bytes = 0;
  let told = Date.now();
  try {
    const result = joinWav(job.workDir, job.parts, job.meta, job.target, (b) => {
      bytes += b;
      if (Date.now() - told < 200) return;
      told = Date.now();
      send({ type: 'progress', bytes });
      bytes = 0;
    });
    send({ type: 'progress', bytes });
    send({ type: 'done', id: job.id, result });
  } catch (e) {
    send({ type: 'failed', id: job.id, message: (e as Error).message });
  }
});
process.on('disconnect', () => process.exit(0));
