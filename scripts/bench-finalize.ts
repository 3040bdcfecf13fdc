/**
 * npm run bench:finalize [-- --minutes 60 --mics 8]
 *
 * A sitting of that length is synthesised at full speed exactly as recording
 * leaves it: 24-bit WAV segments written by the capture writer as long as it
 * makes them (one a microphone for up to 8 h; the chain's chunk hashes while
 * writing; still open at Stop), the live mix encoded by the
 * same ffmpeg command fed with the same interleaved buffers, and a 640x360
 * H.264 fragmented-MP4 camera file. Then it measures:
 *   1. Stop → every file and the manifest ready (closing the open segments is part of Stop);
 *   2. the bytes read only for hashing before they were ready, the bytes copied,
 *      and the ratio to the floor measured in this run (openssl md5 of every
 *      file on every core, plus bare ffmpeg faststart of the two MP4s);
 *   3. a from-scratch re-finalize (no live mix: mixing from the WAV files) and its
 *      ratio to the bare ffmpeg commands doing the same mixing and muxing, in this run;
 *   4. on a real recording through the engine API: Stop → the next sitting
 *      recording, while the first one's finalize runs behind (bench-next-sitting.ts;
 *      --next-seconds N sets its length, 0 skips it).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mixArgs, mixCoreArgs, pipeInput } from '../src/capture/audio/mix-args.js';
import { WavSegmentWriter, type ClosedSegment } from '../src/capture/audio/wav-segment-writer.js';
import { locateFfmpeg } from '../src/capture/video/ffmpeg-locate.js';
import { finalDirOf, finalizeSitting } from '../src/engine/finalize/finalize.js';
import { writeJsonAtomic } from '../src/engine/recorder/sitting-folder.js';
import type { SittingSummary } from '../src/engine/recorder/recorder-types.js';
import { chainChunkBytes, segmentFrames, WAV_LIMIT_BYTES } from '../src/shared/config.js';
import { sittingBase } from '../src/shared/naming.js';
import { benchNextSitting } from './bench-next-sitting.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '60' }, mics: { type: 'string', default: '8' }, keep: { type: 'boolean' }, 'next-seconds': { type: 'string', default: '60' } } });
const seconds = Math.round(Number(values.minutes) * 60) - 10; // a sitting never ends on a chunk's boundary
const mics = Number(values.mics);
const rate = 48000;
// the product's own segment length: as long as one WAV may be, so an hour is one segment a microphone
const audioCfg = { sampleRate: rate, bitDepth: 24 as const, maxWavPartBytes: WAV_LIMIT_BYTES, chainChunkSeconds: 60 };
const segFrames = segmentFrames(audioCfg);
let chunksTold = 0;
const tools = locateFfmpeg();
const root = mkdtempSync(join(tmpdir(), 'abk-bench-finalize-'));
const zeroWallMs = Date.now();
const base = sittingBase('7599-24-00-2/1234', zeroWallMs);
const work = join(root, '.work', base);
mkdirSync(work, { recursive: true });
const seats = ['judge', 'secretary', 'prosecutor', 'defendant', 'defence', 'witness', 'plaintiff', 'victim', 'expert', 'interpreter', 'representative', 'third-party', 'associate-judge', 'room', 'other', 'other'];
const stems = Array.from({ length: mics }, (_, i) => `mic${String(i + 1).padStart(2, '0')}_${seats[i % seats.length]}`);
const t = (): number => performance.now();
const log = (s: string): void => { process.stdout.write(`${s}\n`); };

/** One second of a voice-like signal per microphone (noise bursts at a per-seat rhythm), 24-bit. */
function secondOf(mic: number, sec: number): Buffer {
  const b = Buffer.alloc(rate * 3);
  const talking = (sec + mic) % mics === 0 || (sec * 7 + mic) % 5 === 0;
  let x = (mic + 1) * 2654435761 + sec;
  for (let n = 0; n < rate; n++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const v = talking ? ((x >>> 8) % 400000) - 200000 : ((x >>> 8) % 200) - 100;
    b.writeIntLE(Math.round(v * (0.5 + 0.5 * Math.sin((n / rate) * Math.PI * 3))), n * 3, 3);
  }
  return b;
}

async function synthesise(): Promise<{ segments: (ClosedSegment & { stem: string; index: number; startFrame: number })[]; open: { w: WavSegmentWriter; stem: string; index: number; startFrame: number }[] }> {
  const mixer = spawn(tools.ffmpeg, mixArgs([{ input: pipeInput(0, mics, rate, 24), channels: stems.map((_, i) => i) }], { m4a: join(work, 'mix.t01.m4a'), mp3: join(work, 'mix.t01.mp3') }), { stdio: ['pipe', 'ignore', 'inherit'] });
  const mixed = new Promise((r) => mixer.on('exit', r));
  const segments: (ClosedSegment & { stem: string; index: number; startFrame: number })[] = [];
  let writers: WavSegmentWriter[] = [];
  let index = 0;
  let startFrame = 0;
  for (let sec = 0; sec < seconds; sec++) {
    if (writers.length === 0) {
      index += 1;
      startFrame = sec * rate;
      writers = stems.map((stem) => new WavSegmentWriter(join(work, `${stem}.t01.s${String(index).padStart(3, '0')}.wav`), {
        sampleRate: rate, bitDepth: 24, description: `bench ${stem}`, trackName: stem, project: base, take: `t01s${index}`,
        originationDate: '2026-11-23', originationTime: '10:00:00', timeReference: 0,
      }, segFrames, chainChunkBytes(audioCfg), () => { chunksTold += 1; }));
    }
    const tracks = stems.map((_, m) => secondOf(m, sec));
    writers.forEach((w, m) => w.write(tracks[m]!));
    const inter = Buffer.alloc(rate * 3 * mics);
    for (let n = 0; n < rate; n++) for (let m = 0; m < mics; m++) tracks[m]!.copy(inter, (n * mics + m) * 3, n * 3, n * 3 + 3);
    if (!mixer.stdin.write(inter)) await new Promise((r) => mixer.stdin.once('drain', r));
    if (writers[0]!.remainingFrames === 0) {
      const closed = await Promise.all(writers.map((w) => w.close()));
      closed.forEach((c, m) => segments.push({ ...c, stem: stems[m]!, index, startFrame }));
      writers = [];
    }
  }
  mixer.stdin.end();
  await mixed;
  return { segments, open: writers.map((w, m) => ({ w, stem: stems[m]!, index, startFrame })) };
}

function synthesiseVideo(): void {
  const minute = join(root, 'minute.mp4');
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '60', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency',
    '-g', '25', '-pix_fmt', 'yuv420p', minute]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', minute, '-t', String(seconds + 1.5), '-c', 'copy',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000', '-f', 'mp4', join(work, 'cam1.s001.mp4')]);
}

function summaryOf(segments: (ClosedSegment & { stem: string; index: number; startFrame: number })[]): SittingSummary {
  return {
    version: 1, caseNumber: '7599-24-00-2/1234', base, dir: work, sampleRate: rate, bitDepth: 24, zeroWallMs, stoppedWallMs: zeroWallMs + seconds * 1000,
    devices: [{ key: 'dev1', name: 'bench', channelCount: mics, tracks: stems.map((stem, i) => ({ deviceChannel: i, stem, trackName: stem })) }],
    takes: [{ device: 'dev1', take: 1, firstSampleWallMs: zeroWallMs, startSample: 0, frames: seconds * rate }],
    audioSegments: segments.map(({ path, ...s }) => ({ ...s, file: path.split('/').at(-1)!, device: 'dev1', take: 1 })),
    videoSegments: [{ camera: 'cam1', index: 1, codec: 'libx264', firstFrameWallMs: zeroWallMs - 1500, frames: (seconds + 1.5) * 25, durationMs: (seconds + 1.5) * 1000, end: 'stopped', file: 'cam1.s001.mp4', offsetMs: -1500 }],
    pauses: [], gaps: [], problems: [], xruns: { overflows: 0, underflows: 0 },
  };
}

const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
const cores = availableParallelism();

/** Of the package's files, the microphones' linked from their segments (same inode as a file in the working folder) and the bytes written. */
function copiedBytes(dir: string, names: string[]): { wav: number; linked: number; products: number } {
  const workInodes = new Set(readdirSync(work).map((f) => statSync(join(work, f)).ino));
  let wav = 0;
  let linked = 0;
  let products = 0;
  for (const name of names) {
    const st = statSync(join(dir, name));
    if (!/\.(wav|mp3|mp4)$/.test(name)) continue;
    if (name.endsWith('.wav') && workInodes.has(st.ino)) linked += 1;
    else if (name.endsWith('.wav')) wav += st.size;
    else products += st.size;
  }
  return { wav, linked, products };
}

/**
 * The floor of Stop → ready on this machine, measured now: every file of the
 * package hashed once by `openssl md5`, one process per core, plus ffmpeg's
 * faststart remux of the camera file and the A/V mux with faststart.
 */
function floorMs(dir: string, names: string[]): { hashMs: number; ffmpegMs: number } {
  const h0 = t();
  execFileSync('xargs', ['-d', '\n', '-P', String(cores), '-n', '1', 'openssl', 'md5'], { cwd: dir, input: names.join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
  const hashMs = t() - h0;
  const bare = join(root, 'floor');
  mkdirSync(bare);
  const f0 = t();
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', join(work, 'cam1.s001.mp4'), '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', join(bare, 'video.mp4')]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', join(bare, 'video.mp4'), '-itsoffset', '1.5', '-i', join(work, 'mix.t01.m4a'), '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', join(bare, 'av.mp4')]);
  const ffmpegMs = t() - f0;
  rmSync(bare, { recursive: true, force: true });
  return { hashMs, ffmpegMs };
}

async function main(): Promise<void> {
  log(`bench:finalize: ${mics} microphones × ${(seconds / 60).toFixed(1)} min, 48 kHz 24-bit, 640x360 H.264 video; in ${root}`);
  const s0 = t();
  const { segments, open } = await synthesise();
  synthesiseVideo();
  log(`synthesised in ${((t() - s0) / 1000).toFixed(0)} s (recording: WAV segments with the chain's hash while writing, live mix, camera file)`);

  // 1. Stop: close what was open, then finalize.
  const stop0 = t();
  const closed = await Promise.all(open.map(async (o) => ({ ...(await o.w.close()), stem: o.stem, index: o.index, startFrame: o.startFrame })));
  const all = [...segments, ...closed];
  const summary = summaryOf(all);
  writeJsonAtomic(join(work, 'sitting.json'), summary);
  const result = await finalizeSitting({ root, workDir: work, summary, tools });
  const readyMs = t() - stop0;
  const verified = await result.verified;
  const total = result.manifest.files.reduce((n, f) => n + f.bytes, 0);
  log(`\nStop → every file and the manifest ready: ${(readyMs / 1000).toFixed(2)} s  (${result.manifest.files.length} files, ${gb(total)}; live mix used: ${result.liveMix})`);
  log(`bytes read only for hashing before ready: ${gb(result.bytesReadForHashing)}  (the microphones' files and ffmpeg's outputs: each read once, its header or index being final only at Stop)`);
  log(`read-back check afterwards: ${verified.ok ? 'all match' : `MISMATCH ${verified.mismatched.join(', ')}`}`);
  const copied = copiedBytes(result.dir, result.manifest.files.map((f) => f.name));
  log(`bytes copied after Stop: WAV ${gb(copied.wav)} (a microphone's file is its segment, linked: ${copied.linked} of ${mics}); ffmpeg's outputs ${gb(copied.products)} (the mix, the video and the A/V file)`);
  log(`chain: ${chunksTold} chunk entries told while recording (${(chunksTold / mics).toFixed(0)} a microphone)`);
  const floor = floorMs(result.dir, result.manifest.files.map((f) => f.name));
  log(`floor in this run: openssl md5 of every file on ${cores} cores ${(floor.hashMs / 1000).toFixed(2)} s + bare ffmpeg faststart of the video and the A/V file ${(floor.ffmpegMs / 1000).toFixed(2)} s = ${((floor.hashMs + floor.ffmpegMs) / 1000).toFixed(2)} s`);
  log(`Stop → ready against the floor: ${(readyMs / (floor.hashMs + floor.ffmpegMs)).toFixed(2)}× (goal ≤ 1.2×)`);

  // 2. From scratch: no live mix; the joins, the mix, the video and the A/V file all made again.
  rmSync(finalDirOf(root, summary), { recursive: true, force: true });
  for (const ext of ['m4a', 'mp3']) renameSync(join(work, `mix.t01.${ext}`), join(root, `live.${ext}`));
  const scratch0 = t();
  const again = await finalizeSitting({ root, workDir: work, summary, tools });
  const scratchMs = t() - scratch0;
  if (again.liveMix) throw new Error('expected the from-scratch path');

  // 3. The bare ffmpeg commands doing the same mixing and muxing, in this run.
  const dir = again.dir;
  const wavs = stems.map((stem) => join(dir, `${base}_${stem}.wav`));
  const bare = join(root, 'bare');
  mkdirSync(bare);
  const b0 = t();
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', ...mixCoreArgs(wavs.map((w) => ({ input: ['-i', w], channels: [0] })), { m4a: join(bare, 'mix.m4a'), mp3: join(bare, 'mix.mp3') })]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', join(work, 'cam1.s001.mp4'), '-c', 'copy', '-f', 'mp4', join(bare, 'video.mp4')]);
  execFileSync(tools.ffmpeg, ['-v', 'error', '-y', '-i', join(bare, 'video.mp4'), '-itsoffset', '1.5', '-i', join(bare, 'mix.m4a'), '-map', '0:v:0', '-map', '1:a:0', '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', join(bare, 'av.mp4')]);
  const bareMs = t() - b0;
  log(`\nfrom-scratch re-finalize: ${(scratchMs / 1000).toFixed(1)} s; bare ffmpeg mixing + muxing: ${(bareMs / 1000).toFixed(1)} s; ratio ${(scratchMs / bareMs).toFixed(2)} (goal ≤ 1.15)`);
  log(`  (the re-finalize also joins ${gb(statSync(wavs[0]!).size * mics)} of WAV and hashes every file; the bare commands do neither)`);
  writeFileSync(join(root, 'result.txt'), JSON.stringify({ readyMs, productsRead: result.bytesReadForHashing, scratchMs, bareMs }));
  if (!values.keep) rmSync(root, { recursive: true, force: true });
}

await main();
if (Number(values['next-seconds']) > 0) await benchNextSitting(Number(values['next-seconds']), log);
