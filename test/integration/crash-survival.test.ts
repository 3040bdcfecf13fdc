import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCourtroom } from '../helpers/courtroom.js';
import { matchCounter } from '../helpers/counter-check.js';
import { decodeErrors, ffprobe } from '../helpers/media.js';
import { readWav } from '../helpers/wav.js';
import { killTree } from '../helpers/kill-tree.js';

/**
 * kill -9 of the whole process tree (the `abk record` CLI, its audio capture
 * process and ffmpeg) in the middle of a sitting: what is on disk must open and
 * play up to within 2 s of the kill.
 */
const court = new TestCourtroom();
afterAll(() => court.close());
const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

describe('a kill -9 of every process mid-recording', () => {
  it('leaves every WAV and the video playable to within 2 s of the kill, and abk finalize makes the sitting from them', async () => {
    const sink = await court.sink(8, 16);
    const src = court.counter(sink, 30);
    const configPath = join(court.dir, 'abk.config.json');
    writeFileSync(configPath, JSON.stringify(court.room.config(court.recordings, sink, { camera: 'test' })));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'record', '--config', configPath, '--case', '12-34/2026'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...{ ABK_CAPTURE_HOME: court.room.captureEnv.HOME } },
    });
    let stderr = '';
    const recording = new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.includes('recording to')) resolve(); });
      child.on('exit', (code) => reject(new Error(`abk record exited early (${code}): ${stderr}`)));
    });
    await recording;
    const recordingSince = Date.now();
    const playing = court.room.card.play(sink, src.path);
    await new Promise((r) => setTimeout(r, 8000));
    const killed = killTree(child.pid!);
    const killedAfterMs = Date.now() - recordingSince;
    expect(killed.length).toBeGreaterThanOrEqual(3); // abk record, the capture process, ffmpeg
    playing.stop();
    await new Promise((r) => setTimeout(r, 300));

    const workRoot = join(court.recordings, '.work');
    const sitting = join(workRoot, readdirSync(workRoot)[0]!);
    const files = readdirSync(sitting);
    const wavs = files.filter((f) => f.endsWith('.wav'));
    expect(wavs).toHaveLength(8);
    for (const [c, f] of wavs.sort().entries()) {
      const wav = readWav(join(sitting, f));
      const ms = (wav.declaredDataBytes / 2 / 48000) * 1000;
      // The header on disk is at most one sync (1 s) behind what was written.
      expect(ms).toBeGreaterThan(killedAfterMs - 2000);
      expect(Number(ffprobe(join(sitting, f)).format.duration) * 1000).toBeGreaterThan(killedAfterMs - 2000);
      const m = matchCounter(wav.samples, c, 16, src.frames);
      expect(m.mismatchAt).toBeUndefined();
      expect(m.matched).toBeGreaterThan(0);
    }
    const mp4 = files.find((f) => f.endsWith('.mp4'))!;
    expect(decodeErrors(join(sitting, mp4))).toBe('');
    const probe = ffprobe(join(sitting, mp4), true);
    const frames = Number(probe.streams[0]!.nb_read_frames);
    expect((frames / 25) * 1000).toBeGreaterThan(killedAfterMs - 2000);

    // abk finalize then makes the sitting's files from what the kill left
    const fin = spawnSync(process.execPath, ['--import', 'tsx', cli, 'finalize', sitting.split('/').at(-1)!, '--config', configPath], { encoding: 'utf8', timeout: 120_000 });
    expect(fin.stderr).toContain('read-back check: every file matches');
    expect(fin.status).toBe(0);
    const finalDir = fin.stdout.trim();
    expect(spawnSync('md5sum', ['-c', '--quiet', 'MD5SUMS'], { cwd: finalDir }).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(finalDir, readdirSync(finalDir).find((f) => f.endsWith('_manifest.json'))!), 'utf8'));
    // the media, then the protocol's four made from revision 1, which is kept with its seal beside revision 2
    expect(manifest.files.map((f: { kind: string }) => f.kind).sort()).toEqual(['audio-video', 'manifest-revision', 'manifest-revision', 'microphone', 'microphone', 'microphone', 'microphone', 'microphone', 'microphone', 'microphone', 'microphone', 'mix', 'protocol', 'protocol', 'protocol', 'protocol', 'video']);
    const media = manifest.files.filter((f: { kind: string }) => f.kind !== 'protocol' && f.kind !== 'manifest-revision');
    for (const f of media) expect(f.durationMs).toBeGreaterThan(killedAfterMs - 2500);
    expect(fin.stderr).toContain('the mix was made from the microphone files'); // the live mix died with the rest
  }, 120_000);
});
