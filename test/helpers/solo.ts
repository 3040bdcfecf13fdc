import { readWav } from './wav.js';

/** Per 100 ms window of one channel's samples: its RMS in dBFS. */
export function envelope(samples: ArrayLike<number>, sampleRate: number, bitDepth: number): number[] {
  const step = sampleRate / 10;
  const full = 2 ** (bitDepth - 1);
  const out: number[] = [];
  for (let i = 0; i + step <= samples.length; i += step) {
    let s = 0;
    for (let j = i; j < i + step; j++) s += (samples[j]! / full) ** 2;
    out.push(10 * Math.log10(s / step + 1e-20));
  }
  return out;
}

/** Per 100 ms window of each microphone's file: its RMS in dBFS. */
export function envelopes(paths: string[]): number[][] {
  return paths.map((path) => {
    const wav = readWav(path);
    return envelope(wav.samples, wav.sampleRate, wav.bitDepth);
  });
}

/**
 * A moment t (seconds), after `afterS`, where microphone `mic` (0-based) speaks
 * alone: it is above -35 dBFS through [t, t+0.4 s] and every other microphone
 * is below -70 dBFS through [t-0.4 s, t+0.6 s], the span a player check seeks
 * and listens in. Speech has pauses between words, so the speaker's own
 * stretch is short; the silence of the others is what the solo test needs.
 */
export function aloneAt(env: number[][], mic: number, afterS: number): number {
  const quiet = (m: number, k: number): boolean => env[m]![k]! < -70;
  const speaks = (k: number): boolean => env[mic]![k]! > -35;
  for (let i = afterS * 10; i + 10 <= env[mic]!.length; i++) {
    let ok = true;
    for (let k = i; k < i + 10 && ok; k++) ok = env.every((_, m) => m === mic || quiet(m, k)) && (k < i + 4 || k >= i + 8 || speaks(k));
    if (ok) return (i + 4) / 10;
  }
  throw new Error(`microphone ${mic + 1} never speaks alone for 0.4 s with the others silent around it`);
}
