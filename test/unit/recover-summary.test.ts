import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

  it('reads the events log through its schemas: the good events place the sitting, a damaged one is skipped and said, the torn last line is not', async () => {
    const d = folder('events', JSON.stringify(start));
    const t0 = start.startedWallMs + 500;
    const lines = [
      { wallMs: t0, type: 'take', device: 'dev1', take: 1, firstSampleWallMs: t0, startSample: 0 },
      { wallMs: t0 + 1000, type: 'pause', fromSample: 48000 },
      { wallMs: t0 + 2000, type: 'resume', toSample: 48000 },
      { wallMs: t0 + 3000, type: 'take', device: 'dev1', take: 'two', firstSampleWallMs: t0 + 3000, startSample: 96000 }, // damaged
      { wallMs: t0 + 4000, type: 'gap', device: 'dev1', fromSample: 96000, toSample: 100800, cause: 'program-stopped' },
      { wallMs: t0 + 5000, type: 'problem', source: 'camera', subject: 'cam1', error: { code: 'camera-lost', message: {} } },
    ].map((l) => JSON.stringify(l));
    writeFileSync(join(d, 'events.jsonl'), `${lines.join('\n')}\n{"wallMs": ${t0 + 6000}, "type": "sta`);
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr) as (chunk: string | Uint8Array) => boolean;
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { said.push(String(chunk)); return write(chunk); });
    try {
      const s = await recoverSummary(d);
      expect(s.takes).toEqual([{ device: 'dev1', take: 1, firstSampleWallMs: t0, startSample: 0, frames: 0 }]);
      expect(s.pauses).toEqual([{ fromSample: 48000, toSample: 48000 }]);
      expect(s.gaps).toEqual([{ device: 'dev1', fromSample: 96000, toSample: 100800, cause: 'program-stopped' }]);
      expect(s.problems).toEqual([{ wallMs: t0 + 5000, source: 'camera', subject: 'cam1', code: 'camera-lost' }]);
      expect(s.stoppedWallMs).toBe(t0 + 5000);
    } finally {
      spy.mockRestore();
    }
    expect(said.join('')).toMatch(/events\.jsonl: 1 line\(s\) skipped: a "take" event \(take: /);
  });
});
