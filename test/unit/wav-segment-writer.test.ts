import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataChunk } from '../../src/capture/audio/data-chunks.js';
import { WavSegmentWriter } from '../../src/capture/audio/wav-segment-writer.js';
import { repairWav } from '../../src/capture/audio/wav-recovery.js';
import type { WavTrackMeta } from '../../src/capture/audio/wav-header.js';
import { sha256sum } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-wav-'));
const CHUNK = 60 * 48000 * 3;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const meta = (bitDepth: 16 | 24): WavTrackMeta => ({
  sampleRate: 48000, bitDepth, description: 'ABK ABT test mic01_judge', trackName: 'mic01 Судья (әғқңөұүһі)',
  project: '7599-24-00-2-1234_2026-11-22_10-30', take: 't01s001', originationDate: '2026-11-22', originationTime: '10:30:05',
  timeReference: 37805 * 48000,
});

function ramp(frames: number, bitDepth: 16 | 24, from = 0): Buffer {
  const bps = bitDepth / 8;
  const b = Buffer.alloc(frames * bps);
  for (let i = 0; i < frames; i++) b.writeIntLE(((from + i) % 30000) - 15000, i * bps, bps);
  return b;
}

describe('WavSegmentWriter', () => {
  it('writes a Broadcast WAV that ffprobe reads, with bext and UTF-8 iXML', async () => {
    const path = join(dir, 'a.wav');
    const w = new WavSegmentWriter(path, meta(24), 4800, CHUNK);
    w.write(ramp(4800, 24));
    const seg = await w.close();
    expect(seg).toMatchObject({ frames: 4800, hashedBy: 'none', bytes: statSync(path).size });
    const wav = readWav(path);
    expect(wav.bext).toEqual({ description: 'ABK ABT test mic01_judge', originationDate: '2026-11-22', originationTime: '10:30:05', timeReference: 37805 * 48000 });
    expect(wav.ixml).toContain('<NAME>mic01 Судья (әғқңөұүһі)</NAME>');
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path], { encoding: 'utf8' }));
    expect(probe.streams[0]).toMatchObject({ codec_name: 'pcm_s24le', sample_rate: '48000', channels: 1 });
    expect(Number(probe.format.duration)).toBeCloseTo(0.1, 6);
  });

  it.each([[48000, 'reaches its planned length'], [30001, 'closes early']] as const)('takes the SHA-256 of each 20000-byte chunk of the audio data as it completes (the chain entries), and of their list at close, for a segment of %i frames that %s', async (frames, _how) => {
    const path = join(dir, `b${frames}.wav`);
    const told: DataChunk[] = [];
    const w = new WavSegmentWriter(path, meta(16), 48000, 20000, (c) => told.push(c));
    for (let i = 0; i < frames; i += 4800) w.write(ramp(Math.min(4800, frames - i), 16, i));
    const before = told.length;
    const seg = await w.close();
    // the data chunk cut out of the file as written on disk (its last 2 × frames bytes), split by split(1), hashed by sha256sum
    const data = join(dir, `b${frames}.data`);
    execFileSync('sh', ['-c', `tail -c ${frames * 2} "$1" > "$2" && split -b 20000 -d -a 3 "$2" "$2."`, 'sh', path, data]);
    const pieces = readdirSync(dir).filter((f) => f.startsWith(`b${frames}.data.`)).sort();
    expect(pieces).toHaveLength(Math.ceil((frames * 2) / 20000));
    expect(told.map((c) => c.sha256)).toEqual(pieces.map((f) => sha256sum(join(dir, f))));
    expect(told.map((c) => [c.index, c.offset, c.bytes])).toEqual(pieces.map((f, i) => [i, i * 20000, statSync(join(dir, f)).size]));
    expect(before).toBe(Math.floor((frames * 2) / 20000)); // the complete ones while written, the last partial one at close
    // the segment's digest: sha256sum of the pieces' binary digests one after another
    const list = join(dir, `b${frames}.list`);
    writeFileSync(list, Buffer.concat(pieces.map((f) => Buffer.from(sha256sum(join(dir, f)), 'hex'))));
    expect(seg.dataSha256).toBe(sha256sum(list));
    expect(seg.chunkBytes).toBe(20000);
    expect(seg.dataSha256).not.toBe(sha256sum(data));
    expect(seg).toMatchObject({ hashedBy: 'none', md5: undefined, sha256: undefined });
  });

  it('leaves a segment closed early unhashed (Stop does not wait for a read-back) and pads an odd 24-bit data chunk', async () => {
    const path = join(dir, 'c.wav');
    const w = new WavSegmentWriter(path, meta(24), 48000, CHUNK);
    w.write(ramp(1001, 24));
    const seg = await w.close();
    expect(seg).toMatchObject({ frames: 1001, hashedBy: 'none', md5: undefined, bytes: statSync(path).size });
    const wav = readWav(path);
    expect(wav.declaredDataBytes).toBe(3003);
    expect(statSync(path).size % 2).toBe(0);
  });

  it('keeps the header on disk valid after each sync, so a killed writer leaves a playable file', () => {
    const path = join(dir, 'd.wav');
    const w = new WavSegmentWriter(path, meta(16), 480000, CHUNK);
    w.write(ramp(48000, 16));
    w.syncHeader();
    expect(readWav(path).declaredDataBytes).toBe(96000);
    w.write(ramp(24000, 16)); // written after the last sync: what a crash would leave
    expect(readWav(path).declaredDataBytes).toBe(96000);
    // recovery brings the header up to every whole frame on disk
    expect(repairWav(path, 16)).toEqual({ frames: 72000, bytes: statSync(path).size });
    expect(readWav(path).samples.length).toBe(72000);
  });

  it('reads a closed, read-only segment without writing to it, and repairs one changed after it was closed, read-only again', async () => {
    const path = join(dir, 'f.wav');
    const w = new WavSegmentWriter(path, meta(24), 48000, CHUNK);
    w.write(ramp(1001, 24));
    await w.close();
    chmodSync(path, 0o444); // as the capture process leaves a closed segment
    const before = { sha: sha256sum(path), mtimeMs: statSync(path).mtimeMs };
    await new Promise((r) => setTimeout(r, 20));
    expect(repairWav(path, 24)).toEqual({ frames: 1001, bytes: statSync(path).size });
    expect({ sha: sha256sum(path), mtimeMs: statSync(path).mtimeMs }).toEqual(before);
    // bytes added after it was closed (two bytes: not a whole 24-bit sample over the pad byte)
    chmodSync(path, 0o644);
    appendFileSync(path, Buffer.from([1, 2]));
    chmodSync(path, 0o444);
    const size = statSync(path).size; // the pad byte and the two: one whole sample more, nothing to cut
    expect(repairWav(path, 24)).toEqual({ frames: 1002, bytes: size });
    const wav = readWav(path);
    expect(wav.samples.length).toBe(1002);
    expect(wav.declaredDataBytes).toBe(3006);
    expect(statSync(path).mode & 0o777).toBe(0o444);
  });

  it('refuses to overrun its planned length or overwrite a file', () => {
    const path = join(dir, 'e.wav');
    const w = new WavSegmentWriter(path, meta(16), 10, CHUNK);
    expect(() => w.write(ramp(11, 16))).toThrow(/overrun/);
    expect(() => new WavSegmentWriter(path, meta(16), 10, CHUNK)).toThrow(/EEXIST/);
  });
});
