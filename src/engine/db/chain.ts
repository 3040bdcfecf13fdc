import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A sitting's chain, kept in the audit log as it is recorded: every chunk of
 * a segment's audio data as it completes (a minute of one microphone by
 * default), every closed segment and every mark is an entry, and each entry's
 * head covers the one before it: c_i = SHA-256(c_{i-1} ‖ i ‖ h_i), c_0 = 32
 * zero bytes, i as 8 bytes big-endian, h_i the entry's SHA-256 (a chunk's
 * bytes; a segment's chunk digests one after another, data-chunks.ts; a mark's
 * fields). A segment removed, reordered, truncated or changed in the working
 * folder — also while it is still being written — or a mark changed in the
 * database, no longer matches its entries.
 */
export const CHAIN_GENESIS = '0'.repeat(64);

export const chainEntrySchema = z.object({
  i: z.number().int().min(1),
  kind: z.enum(['segment', 'chunk', 'mark']),
  /** A segment's file in the working folder (for its chunks too), or `mark <id>`. */
  name: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  /** A segment's size when it closed; a chunk's length (neither part of the head: the audit log's own chain covers them). */
  bytes: z.number().int().min(0).optional(),
  /** A chunk's place in its segment's audio data (bytes from the data's start). */
  offset: z.number().int().min(0).optional(),
  /** A segment whose digest is of its chunks' (this long); absent, of its data (recorded before 0.3). */
  chunkBytes: z.number().int().min(1).optional(),
});

export type ChainEntry = z.infer<typeof chainEntrySchema>;
export type ChainExtra = Pick<ChainEntry, 'bytes' | 'offset' | 'chunkBytes'>;

export function chainNext(prev: string, i: number, sha256: string): string {
  const index = Buffer.alloc(8);
  index.writeBigUInt64BE(BigInt(i));
  return createHash('sha256').update(Buffer.from(prev, 'hex')).update(index).update(Buffer.from(sha256, 'hex')).digest('hex');
}

/** What a mark's entry covers: its fields as they were stored, in a fixed order. */
export function markDigest(m: { id: number; kind: string; atSample: number; wallMs: number; seat?: string | undefined; participant?: string | undefined; text?: string | undefined; correctsId?: number | undefined }): string {
  const fields = [m.id, m.kind, m.atSample, m.wallMs, m.seat ?? null, m.participant ?? null, m.text ?? null, m.correctsId ?? null];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
