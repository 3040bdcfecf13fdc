import type { SittingRecorder, SittingSummary } from '../engine/recorder/sitting-recorder.js';
import { bar, say } from './output.js';

/**
 * Runs a started recorder until `seconds` pass or the user presses Ctrl+C,
 * showing levels once a second and every problem as it happens (on stderr,
 * so stdout stays for results).
 */
export async function runUntilStopped(rec: SittingRecorder, seconds: number | undefined, quiet = false): Promise<SittingSummary> {
  let lastPrint = 0;
  rec.on('event', (e) => {
    if (e.type === 'problem') process.stderr.write(`! ${e.source} ${e.subject}: ${say(e.error)}\n`);
    else if (e.type === 'recovered') process.stderr.write(`✓ ${e.source} ${e.subject} recovered\n`);
    else if (e.type === 'gap') process.stderr.write(`! gap on ${e.device}: ${e.fromSample}…${e.toSample} samples\n`);
    else if (e.type === 'levels' && !quiet && Date.now() - lastPrint >= 1000) {
      lastPrint = Date.now();
      const t = new Date(e.positionMs).toISOString().slice(11, 19);
      process.stderr.write(`${t} ${e.tracks.map((tr) => `${tr.stem.slice(0, 5)} ${bar(tr.peakDb, 6)}`).join(' ')}\n`);
    }
  });
  await new Promise<void>((resolve) => {
    const timer = seconds !== undefined ? setTimeout(resolve, seconds * 1000) : undefined;
    const onSignal = (): void => { clearTimeout(timer); resolve(); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    rec.on('event', (e) => { if (e.type === 'state' && (e.state === 'stopping' || e.state === 'stopped')) onSignal(); });
  });
  return rec.stop();
}

export function printSummary(s: SittingSummary): void {
  const seconds = (s.takes.filter((t) => t.device === s.devices[0]?.key).reduce((m, t) => Math.max(m, t.startSample + t.frames), 0) / s.sampleRate).toFixed(1);
  process.stderr.write(`recorded ${seconds} s: ${s.audioSegments.length} audio segment file(s), ${s.videoSegments.length} video segment file(s), ` +
    `${s.gaps.length} gap(s), ${s.problems.length} problem(s), ${s.xruns.overflows} input overflow(s)\n`);
}
