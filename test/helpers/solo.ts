import { readWav } from './wav.js';

/** Per 100 ms window of each microphone's file: its RMS in dBFS. */
export function envelopes(paths: string[]): number[][] {
  return paths.map((path) => {
    const wav = readWav(path);
    const step = wav.sampleRate / 10;
    const full = 2 ** (wav.bitDepth - 1);
    const out: number[] = [];
    for (let i = 0; i + step <= wav.samples.length; i += step) {
      let s = 0;
      for (let j = i; j < i + step; j++) s += (wav.samples[j]! / full) ** 2;
      out.push(10 * Math.log10(s / step + 1e-20));
    }
    return out;
  });
}

/** A moment (seconds) in the middle of 0.8 s, after `afterS`, where only microphone `mic` (0-based) speaks. */
export function aloneAt(env: number[][], mic: number, afterS: number): number {
  const quiet = (m: number, i: number): boolean => env[m]![i]! < -70;
  for (let i = afterS * 10; i + 8 < env[mic]!.length; i++) {
    let ok = true;
    for (let k = i; k < i + 8 && ok; k++) ok = env[mic]![k]! > -35 && env.every((_, m) => m === mic || quiet(m, k));
    if (ok) return (i + 4) / 10;
  }
  throw new Error(`microphone ${mic + 1} never speaks alone`);
}
