import { describe, expect, it } from 'vitest';
import { counterPeriod, counterSample } from '../../src/capture/virtual-courtroom/test-signal.js';
import { counterFrame } from '../helpers/counter-check.js';
import { alsaChannelMap } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';

describe('the counter test signal', () => {
  it.each([16, 24] as const)('%i-bit: never zero, names its channel and frame, fits the sample size', (bitDepth) => {
    const max = bitDepth === 16 ? 32767 : 8388607;
    for (const n of [0, 1, 2, counterPeriod(bitDepth) - 1, counterPeriod(bitDepth), 123456]) {
      for (let c = 0; c < 16; c++) {
        const v = counterSample(n, c, bitDepth);
        expect(v).not.toBe(0);
        expect(Math.abs(v)).toBeLessThanOrEqual(max + 1);
        expect(v & 15).toBe(c);
        expect(counterFrame(v, bitDepth)).toBe(n % counterPeriod(bitDepth));
      }
    }
  });
});

describe('alsaChannelMap', () => {
  it('uses ALSA order, then aux channels', () => {
    expect(alsaChannelMap(4)).toBe('front-left,front-right,rear-left,rear-right');
    expect(alsaChannelMap(12).split(',').slice(6)).toEqual(['side-left', 'side-right', 'aux0', 'aux1', 'aux2', 'aux3']);
  });
});
