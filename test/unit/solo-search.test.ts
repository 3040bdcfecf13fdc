import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VIRTUAL_SEATS } from '../../src/capture/virtual-courtroom/courtroom.js';
import { writeVoicesWav } from '../../src/capture/virtual-courtroom/voices.js';
import { aloneAt, envelope } from '../helpers/solo.js';
import { readWav } from '../helpers/wav.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-solo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The players' solo tests look for a moment where one microphone speaks alone
// in a recording of the virtual courtroom's voices. A recording starts at any
// point of the voices and its 100-ms windows fall anywhere across the words;
// the search must find each speaker at every such start within one round of
// turns (once it did not: "microphone 3 never speaks alone", about 1 start in 4).
describe('aloneAt on the virtual courtroom voices', () => {
  it('finds every speaker alone, with the others silent around, from any start within one round', async () => {
    const path = join(dir, 'voices.wav');
    await writeVoicesWav(path, VIRTUAL_SEATS.slice(0, 4), 34);
    const wav = readWav(path);
    const ch = wav.channels;
    const frames = wav.samples.length / ch;
    const round = 16 * wav.sampleRate; // one round of four turns is about 14.6 s
    let starts = 0;
    for (let start = 0; start < round; start += 3331) { // 69.4 ms: every alignment of the 100-ms windows is visited
      starts++;
      const env = Array.from({ length: ch }, (_, c) => {
        const mono = new Int32Array(frames - start);
        for (let i = 0; i < mono.length; i++) mono[i] = wav.samples[(start + i) * ch + c]!;
        return envelope(mono, wav.sampleRate, wav.bitDepth);
      });
      for (let mic = 0; mic < ch; mic++) {
        const t = aloneAt(env, mic, 0);
        const k = Math.round(t * 10);
        // the moment it names: the speaker loud for 0.4 s, everyone else near the noise floor (about -84 dBFS) around it
        for (let w = k; w < k + 4; w++) expect(env[mic]![w]!).toBeGreaterThan(-35);
        for (let w = k - 4; w < k + 6; w++) for (let m = 0; m < ch; m++) if (m !== mic) expect(env[m]![w]!).toBeLessThan(-70);
      }
    }
    expect(starts).toBeGreaterThan(200);
  });

  it('refuses a recording where the speaker is never alone (positive control above)', () => {
    const loud = Array.from({ length: 100 }, () => -20);
    expect(() => aloneAt([loud, loud], 0, 0)).toThrow('microphone 1 never speaks alone');
  });
});
