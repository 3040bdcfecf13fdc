import { createHash, randomFillSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, type AbkConfig } from '../../src/shared/config.js';
import type { AppError } from '../../src/shared/result.js';
import type { EngineEvent } from '../../src/shared/api/contract.js';
import { md5sums } from '../../src/engine/finalize/manifest.js';
import type { ReplicatorSink } from '../../src/engine/replication/replicator.js';

/** A finished sitting's folder as finalize leaves it: files of random content and their MD5SUMS. */
export function finishedSitting(root: string, relDir: string, sizes: Record<string, number>): string {
  const dir = join(root, ...relDir.split('/'));
  mkdirSync(dir, { recursive: true });
  const files = Object.entries(sizes).map(([name, bytes]) => {
    const data = randomFillSync(Buffer.alloc(bytes));
    writeFileSync(join(dir, name), data, { mode: 0o444 });
    return { name, md5: createHash('md5').update(data).digest('hex') };
  });
  writeFileSync(join(dir, 'MD5SUMS'), md5sums(files), { mode: 0o444 });
  return dir;
}

/** A configuration with only what replication reads filled in. */
export function replicationConfig(root: string, replication: Partial<AbkConfig['replication']>): AbkConfig {
  return configSchema.parse({
    recordingsRoot: root,
    audio: { devices: [{ name: 'none', channels: [{ channel: 1, seat: 'judge' }] }] },
    replication,
  });
}

/** What the replicator tells the engine, kept for the test to look at. */
export class RecordingSink implements ReplicatorSink {
  readonly alarms = new Map<string, AppError>();
  readonly raised: { key: string; error: AppError }[] = [];
  readonly events: EngineEvent[] = [];
  emit(e: EngineEvent): void { this.events.push(e); }
  raise(key: string, _subject: string, error: AppError): void { this.alarms.set(key, error); this.raised.push({ key, error }); }
  clear(prefix: string): void { for (const k of [...this.alarms.keys()]) if (k.startsWith(prefix)) this.alarms.delete(k); }
}

export async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
