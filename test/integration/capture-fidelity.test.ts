import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCourtroom, trackFiles } from '../helpers/courtroom.js';
import { matchCounter } from '../helpers/counter-check.js';
import { ffprobe } from '../helpers/media.js';
import { readTrack, readWav } from '../helpers/wav.js';

/**
 * The real capture path (PortAudio through naudiodon, in the capture process)
 * on the virtual courtroom: every recorded track must equal its source channel
 * sample for sample — no swaps, drops or duplicates. Tolerance: none.
 */
const court = new TestCourtroom();
afterAll(() => court.close());

const FRAME_MS = 40; // 25 fps

describe.each([
  { channels: 8, bitDepth: 16 as const, seconds: 12, segmentSeconds: 600 },
  { channels: 12, bitDepth: 24 as const, seconds: 12, segmentSeconds: 10 },
])('$channels channels at $bitDepth-bit', ({ channels, bitDepth, seconds, segmentSeconds }) => {
  let summary: Awaited<ReturnType<TestCourtroom['recordWhilePlaying']>>;
  let sourceFrames = 0;

  it('records every channel bit-exact into its own Broadcast WAV', async () => {
    const sink = await court.sink(channels, bitDepth);
    const src = court.counter(sink, seconds);
    sourceFrames = src.frames;
    const rec = court.recorder(court.room.config(court.recordings, sink, { camera: 'test', segmentSeconds }));
    summary = await court.recordWhilePlaying(rec, sink, src.path);

    expect(summary.problems).toEqual([]);
    expect(summary.gaps).toEqual([]);
    expect(summary.devices[0]!.tracks).toHaveLength(channels);
    for (const [c, track] of summary.devices[0]!.tracks.entries()) {
      const files = trackFiles(summary, track.stem);
      const samples = readTrack(files);
      const m = matchCounter(samples, c, bitDepth, sourceFrames);
      // PulseAudio makes the first few milliseconds of a playback inaudible to
      // the monitor (measured: about 350 frames); from there on, every frame.
      expect(m.firstFrame).toBeLessThan(2400);
      expect({ track: track.stem, ...m }).toEqual({ track: track.stem, offset: m.offset, firstFrame: m.firstFrame, matched: sourceFrames - m.firstFrame });
      // What follows the signal is the silence after playback, not repeated audio.
      expect(samples.subarray(m.offset + m.matched).every((v) => v === 0)).toBe(true);
      const first = readWav(files[0]!);
      expect(first).toMatchObject({ channels: 1, sampleRate: 48000, bitDepth });
      expect(first.chunkIds).toEqual(['fmt ', 'bext', 'iXML', 'data']);
      expect(first.ixml).toContain(`<NAME>${track.trackName}</NAME>`);
      expect(first.bext!.originationDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('keeps the tracks of one device aligned to the same sample', () => {
    const starts = summary.devices[0]!.tracks.map((t, c) => {
      const m = matchCounter(readTrack(trackFiles(summary, t.stem)), c, bitDepth, sourceFrames);
      return `${m.offset}/${m.firstFrame}`;
    });
    expect(new Set(starts).size).toBe(1);
  });

  it('reports for every segment the digest of its audio data as written (the chain entry: SHA-256 of its minutes\' SHA-256s), equal to that of the data on disk; no segment is re-read at stop', () => {
    const full = summary.audioSegments.filter((s) => s.frames === segmentSeconds * 48000);
    if (segmentSeconds < seconds) expect(full.length).toBe(channels);
    for (const seg of summary.audioSegments) {
      // the data chunk is the file's last: its samples, then a pad byte when their size is odd
      const file = readFileSync(join(summary.dir, seg.file));
      const bytes = seg.frames * (bitDepth / 8);
      const data = file.subarray(file.length - (bytes % 2) - bytes, file.length - (bytes % 2));
      const chunkBytes = 60 * 48000 * (bitDepth / 8);
      expect(seg.chunkBytes).toBe(chunkBytes);
      const sha = (b: Buffer): Buffer => createHash('sha256').update(b).digest();
      const pieces = Array.from({ length: Math.max(1, Math.ceil(data.length / chunkBytes)) }, (_, k) => data.subarray(k * chunkBytes, (k + 1) * chunkBytes));
      expect(seg.dataSha256).toBe(createHash('sha256').update(Buffer.concat(pieces.map(sha))).digest('hex'));
      expect(seg.hashedBy).toBe('none');
      expect(seg.md5).toBeUndefined();
    }
  });

  it('records the camera at 640x360 and ends it within one frame of the audio', () => {
    expect(summary.videoSegments).toHaveLength(1);
    const v = summary.videoSegments[0]!;
    const probe = ffprobe(join(summary.dir, v.file));
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    const videoMs = Number(probe.format.duration) * 1000;
    const audioMs = (summary.takes[0]!.frames * 1000) / summary.sampleRate;
    // The camera starts before the microphones (its offset on the timeline is
    // measured and kept); both are stopped at one instant, so the video ends
    // where the audio ends, within one frame.
    expect(v.offsetMs).toBeLessThan(0);
    expect(Math.abs(v.offsetMs + videoMs - audioMs)).toBeLessThanOrEqual(FRAME_MS);
  });
});
