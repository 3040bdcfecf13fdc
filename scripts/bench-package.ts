import { randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hashFile } from '../src/capture/audio/hash-file.js';
import { placeManifest } from '../src/engine/package/revision.js';
import { FORMAT_VERSION, type Manifest, type ManifestFile } from '../src/shared/package-format.js';

/** A mono 24-bit 48 kHz WAV header for `frames` frames. */
function wavHeader(frames: number): Buffer {
  const data = frames * 3;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data, 4); h.write('WAVE', 8); h.write('fmt ', 12);
  h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22); h.writeUInt32LE(48000, 24);
  h.writeUInt32LE(48000 * 3, 28); h.writeUInt16LE(3, 32); h.writeUInt16LE(24, 34); h.write('data', 36); h.writeUInt32LE(data, 40);
  return h;
}

/** `bytes` of pseudo-random data after `head`; past `realBytes` the file is sparse (zeros, nothing written). */
function writeFile(path: string, bytes: number, head: Buffer, realBytes = bytes): void {
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  const block = randomFillSync(Buffer.allocUnsafe(1 << 22));
  for (let at = head.length; at < Math.min(bytes, realBytes); at += block.length) writeSync(fd, block, 0, Math.min(block.length, Math.min(bytes, realBytes) - at));
  closeSync(fd);
  truncateSync(path, bytes);
}

/**
 * A sitting package for the benchmarks: `mics` microphone WAVs (24-bit 48 kHz
 * headers over pseudo-random samples: loud noise), a mix and a video of
 * pseudo-random bytes, its manifest and lists. With `realSeconds` only that
 * much of each microphone is written (the rest is sparse) and the hashes are
 * left as zeros: a package to play, not to verify.
 */
export async function benchPackage(root: string, o: { minutes: number; mics: number; realSeconds?: number }): Promise<{ dir: string; base: string; files: ManifestFile[]; bytes: number }> {
  const base = 'X_2026-12-02_10-00';
  const dir = join(root, base);
  mkdirSync(dir, { recursive: true });
  const frames = Math.round(o.minutes * 60 * 48000);
  const real = o.realSeconds === undefined ? undefined : 44 + o.realSeconds * 48000 * 3;
  const plan: { name: string; kind: ManifestFile['kind']; bytes: number; head: Buffer; mic?: number }[] = [
    ...Array.from({ length: o.mics }, (_, i) => ({ name: `${base}_mic${String(i + 1).padStart(2, '0')}_judge.wav`, kind: 'microphone' as const, bytes: frames * 3 + 44, head: wavHeader(frames), mic: i + 1 })),
    { name: `${base}_mix.mp3`, kind: 'mix', bytes: Math.round(o.minutes * 60 * 12_000), head: Buffer.alloc(0) },
    { name: `${base}_video.mp4`, kind: 'video', bytes: Math.round(o.minutes * 60 * 190_000), head: Buffer.alloc(0) },
  ];
  const files: ManifestFile[] = [];
  for (const p of plan) {
    writeFile(join(dir, p.name), p.bytes, p.head, real ?? p.bytes);
    const hashes = real === undefined ? await hashFile(join(dir, p.name)) : { md5: '0'.repeat(32), sha256: '0'.repeat(64), bytes: p.bytes };
    files.push({ name: p.name, kind: p.kind, ...hashes, durationMs: o.minutes * 60_000,
      ...(p.mic ? { microphone: { number: p.mic, stem: `mic${p.mic}`, seat: 'judge', trackName: `mic${p.mic}`, device: 'bench', deviceChannel: p.mic } } : {}) });
  }
  const manifest: Manifest = {
    format: 'abk-abt-manifest', formatVersion: FORMAT_VERSION, audit: null, chain: null, revision: 1, previous: null, writtenAt: '2026-12-02 11:00:00', reason: 'finalize',
    base, caseNumber: 'X', sitting: null, timeZone: 'Asia/Almaty', utcOffset: '+05:00', startedAt: '2026-12-02 10:00:00', endedAt: '2026-12-02 11:00:00',
    sampleRate: 48000, bitDepth: 24, mediaDurationMs: o.minutes * 60_000, files, marks: [], pauses: [], gaps: [], problems: [], software: { name: 'ABK ABT', version: 'bench' },
  };
  await placeManifest(dir, `${base}_manifest.json`, manifest, undefined);
  return { dir, base, files, bytes: files.reduce((n, f) => n + f.bytes, 0) };
}
