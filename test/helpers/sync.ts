import { execFileSync } from 'node:child_process';

/**
 * Onsets (seconds, in the file's own time) of beeps in the first audio stream:
 * loud after at least 1 s of quiet. An MP4 stream's start time is added; an
 * MP3's is the encoder delay, which decoding has already removed.
 */
export function beepOnsets(path: string, rate = 8000): number[] {
  const start = path.endsWith('.mp3') ? 0 : Number(execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=start_time', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim()) || 0;
  const pcm = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:a:0', '-ac', '1', '-ar', String(rate), '-f', 's16le', '-'], { maxBuffer: 1 << 30 });
  const n = pcm.length / 2;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, Math.abs(pcm.readInt16LE(i * 2)));
  const threshold = peak / 4;
  const onsets: number[] = [];
  let quietSince = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(pcm.readInt16LE(i * 2)) > threshold) {
      if (i - quietSince >= rate) onsets.push(start + i / rate);
      quietSince = i;
    }
  }
  return onsets;
}

/** Presentation times (seconds) of the white frames of the `flash` test pattern in the first video stream. */
export function flashTimes(path: string): number[] {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-map', '0:v:0', '-vf', 'signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-', '-f', 'null', '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const times: number[] = [];
  let pts = 0;
  let white = false;
  for (const line of out.split('\n')) {
    const p = /pts_time:([\d.]+)/.exec(line);
    if (p) pts = Number(p[1]);
    const y = /YAVG=([\d.]+)/.exec(line);
    if (!y) continue;
    if (Number(y[1]) > 128 && !white) times.push(pts);
    white = Number(y[1]) > 128;
  }
  return times;
}
