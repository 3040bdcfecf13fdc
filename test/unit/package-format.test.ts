import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from '../../src/shared/package-format.js';

const v1 = {
  format: 'abk-abt-manifest', version: 1, base: 'X_2026-11-23_10-30', caseNumber: 'X', sitting: null, timeZone: 'Asia/Almaty',
  startedAt: '2026-11-23 10:30:05', endedAt: '2026-11-23 11:40:00', sampleRate: 48000, bitDepth: 24, mediaDurationMs: 1000,
  files: [{ name: 'X_mix.mp3', kind: 'mix', bytes: 10, md5: 'a'.repeat(32), sha256: 'b'.repeat(64), durationMs: 1000 }],
  marks: [], pauses: [], gaps: [], problems: [], software: { name: 'ABK ABT', version: '0.1.0' },
};

describe('the manifest format', () => {
  it('reads a version-1 manifest (without utcOffset, as the first ones were) as revision 1 of the current shape', () => {
    const m = parseManifest(JSON.stringify(v1));
    expect(m).toMatchObject({ formatVersion: 3, revision: 1, previous: null, utcOffset: '+05:00', reason: 'finalize', audit: null });
    expect(m.files[0]!.name).toBe('X_mix.mp3');
    expect(parseManifest(JSON.stringify({ ...v1, utcOffset: '+06:00' })).utcOffset).toBe('+06:00');
  });

  it('reads a version-2 manifest as it was, with no audit head; a version-3 one needs its audit head and chain, well formed', () => {
    const { version: _v, ...rest } = v1;
    const v2 = { ...rest, formatVersion: 2, utcOffset: '+05:00', revision: 2, previous: { revision: 1, name: 'X_manifest.r1.json', sha256: 'c'.repeat(64) }, writtenAt: '2026-11-23 11:41:00', reason: 'protocol' };
    expect(parseManifest(JSON.stringify(v2))).toMatchObject({ formatVersion: 3, revision: 2, reason: 'protocol', audit: null, chain: null, previous: { revision: 1 } });
    const head = { event: 41, hash: 'd'.repeat(64) };
    const chain = { entries: 7, head: 'e'.repeat(64) };
    expect(parseManifest(JSON.stringify({ ...v2, formatVersion: 3, audit: head, chain }))).toMatchObject({ audit: head, chain });
    expect(() => parseManifest(JSON.stringify({ ...v2, formatVersion: 3, chain }))).toThrow(/audit/);
    expect(() => parseManifest(JSON.stringify({ ...v2, formatVersion: 3, audit: head }))).toThrow(/chain/);
    expect(() => parseManifest(JSON.stringify({ ...v2, formatVersion: 3, audit: { event: 0, hash: 'd'.repeat(64) }, chain }))).toThrow(/audit\.event/);
    // a gap's cause may say that a recorded segment was removed before finalize; an unknown cause is refused
    const gap = { device: 'mic01_judge', fromMs: 10_000, toMs: 20_000 };
    expect(parseManifest(JSON.stringify({ ...v2, formatVersion: 3, audit: head, chain, gaps: [{ ...gap, cause: 'segment-removed' }] })).gaps[0]!.cause).toBe('segment-removed');
    expect(() => parseManifest(JSON.stringify({ ...v2, formatVersion: 3, audit: head, chain, gaps: [{ ...gap, cause: 'gremlins' }] }))).toThrow(/gaps\.0\.cause/);
  });

  it('names what is wrong: a bad hash, a file name with a folder, an unknown version, not JSON', () => {
    const bad = (x: unknown): string => { try { parseManifest(typeof x === 'string' ? x : JSON.stringify(x)); return 'accepted'; } catch (e) { expect(e).toBeInstanceOf(ManifestError); return (e as Error).message; } };
    expect(bad({ ...v1, files: [{ ...v1.files[0], md5: 'xyz' }] })).toMatch(/files\.0\.md5: 32 hexadecimal digits/);
    expect(bad({ ...v1, files: [{ ...v1.files[0], name: '../etc/passwd' }] })).toMatch(/files\.0\.name: a plain file name/);
    expect(bad({ ...v1, version: 7 })).toMatch(/format version 7 is not one this program knows/);
    expect(bad('{"format": ')).toMatch(/not JSON/);
    expect(bad(v1)).toBe('accepted'); // positive control
  });
});
