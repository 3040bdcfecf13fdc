import { describe, expect, it } from 'vitest';
import { CHAIN_GENESIS, chainNext } from '../../src/engine/db/chain.js';
import { checkChain } from '../../src/engine/package/chain-check.js';

// computed with Python's hashlib, as README's formula says: c_i = SHA-256(c_{i-1} ‖ i as 8 bytes big-endian ‖ h_i)
const H = '03e71c6d7dc6bd4e89ceaf32f6488ca0aa69b0de784b706cac5818d680e9d97f'; // sha256("segment")
const C1 = '8a97533e50acc604b8a80ec7f6f5b4c3cb6b3237ce1e1f3627469ae51a5ee879';
const C2 = 'd3998b9154b054d98c4b99f9dd325c1040bba36365f96c17577fc4722b26f554';

describe('the chain of segments and marks', () => {
  it('follows the published formula, so anyone can recompute it', () => {
    expect(chainNext(CHAIN_GENESIS, 1, H)).toBe(C1);
    expect(chainNext(C1, 2, H)).toBe(C2);
  });

  it('finds an entry removed from the middle of the log, or reordered; a whole chain holds', async () => {
    const e = (i: number, head: string) => ({ i, kind: 'segment' as const, name: `s${i}.wav`, sha256: H, head });
    expect((await checkChain([e(1, C1), e(2, C2)], undefined, [], { data: false })).ok).toBe(true);
    const gap = await checkChain([e(2, C2)], undefined, [], { data: false });
    expect(gap.findings.map((f) => [f.name, f.status])).toEqual([['s2.wav', 'broken']]);
    const swapped = await checkChain([e(2, C2), e(1, C1)], undefined, [], { data: false });
    expect(swapped.ok).toBe(false);
  });
});
