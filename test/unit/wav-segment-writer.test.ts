import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WavSegmentWriter } from '../../src/capture/audio/wav-segment-writer.js';
import { repairWav } from '../../src/capture/audio/wav-recovery.js';
import type { WavTrackMeta } from '../../src/capture/audio/wav-header.js';
import { sha256sum } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-wav-'));
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
    const w = new WavSegmentWriter(path, meta(24), 4800);
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

  it.each([[48000, 'reaches its planned length'], [30001, 'closes early']] as const)('takes the SHA-256 of the audio data as written (the chain entry) for a segment of %i frames that %s', async (frames, _how) => {
    const path = join(dir, `b${frames}.wav`);
    const w = new WavSegmentWriter(path, meta(16), 48000);
    for (let i = 0; i < frames; i += 4800) w.write(ramp(Math.min(4800, frames - i), 16, i));
    const seg = await w.close();
    // the data chunk cut out of the file as written on disk (its last 2 × frames bytes), hashed by sha256sum
    const data = join(dir, `b${frames}.data`);
    execFileSync('sh', ['-c', `tail -c ${frames * 2} "$1" > "$2"`, 'sh', path, data]);
    expect(seg.dataSha256).toBe(sha256sum(data));
    expect(seg.dataSha256).not.toBe(sha256sum(path));
    expect(seg).toMatchObject({ hashedBy: 'none', md5: undefined, sha256: undefined });
  });

  it('leaves a segment closed early unhashed (Stop does not wait for a read-back) and pads an odd 24-bit data chunk', async () => {
    const path = join(dir, 'c.wav');
    const w = new WavSegmentWriter(path, meta(24), 48000);
    w.write(ramp(1001, 24));
    const seg = await w.close();
    expect(seg).toMatchObject({ frames: 1001, hashedBy: 'none', md5: undefined, bytes: statSync(path).size });
    const wav = readWav(path);
    expect(wav.declaredDataBytes).toBe(3003);
    expect(statSync(path).size % 2).toBe(0);
  });

  it('keeps the header on disk valid after each sync, so a killed writer leaves a playable file', () => {
    const path = join(dir, 'd.wav');
    const w = new WavSegmentWriter(path, meta(16), 480000);
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
    const w = new WavSegmentWriter(path, meta(24), 48000);
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
    const w = new WavSegmentWriter(path, meta(16), 10);
    expect(() => w.write(ramp(11, 16))).toThrow(/overrun/);
    expect(() => new WavSegmentWriter(path, meta(16), 10)).toThrow(/EEXIST/);
  });
});
