import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recoverSummary } from '../../src/engine/finalize/recover-summary.js';

const root = mkdtempSync(join(tmpdir(), 'abk-recover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const start = {
  version: 1, caseNumber: '7599-24-00-2/1234', base: '7599-24-00-2-1234_2026-12-07_10-00', dir: '/x', sampleRate: 48000, bitDepth: 24,
  devices: [{ key: 'dev1', name: 'UMC1820', channelCount: 2, tracks: [{ deviceChannel: 0, stem: 'mic01_judge', trackName: 'mic01 Судья' }] }],
  startedWallMs: 1_765_000_000_000, unwatched: [], chainChunkBytes: 8_640_000,
};

function folder(name: string, content: string): string {
  const d = mkdtempSync(join(root, `${name}-`));
  writeFileSync(join(d, 'sitting.start.json'), content);
  return d;
}

describe('a sitting rebuilt after a power cut from its start file', () => {
  it('reads a whole start file (the positive control)', async () => {
    const s = await recoverSummary(folder('ok', JSON.stringify(start)));
    expect(s).toMatchObject({ base: start.base, caseNumber: start.caseNumber, sampleRate: 48000, bitDepth: 24, audioSegments: [] });
  });

  it('refuses a start file with a wrong field or torn JSON, naming the file and what is wrong, in each language', async () => {
    await expect(recoverSummary(folder('bad', JSON.stringify({ ...start, bitDepth: 20 })))).rejects.toThrow(/sitting\.start\.json is damaged \(bitDepth: .*\), so the sitting's files cannot be placed; they are untouched/);
    const torn = recoverSummary(folder('torn', JSON.stringify(start).slice(0, 80)));
    await expect(torn).rejects.toThrow(/sitting\.start\.json is damaged \(.*JSON.*\)/);
    await expect(torn).rejects.toMatchObject({ appError: { code: 'sitting-unrecoverable', message: { ru: expect.stringContaining('повреждён'), kk: expect.stringContaining('зақымдалған') } } });
  });
});
