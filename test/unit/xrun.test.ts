import { describe, expect, it } from 'vitest';
import { xrunOf } from '../../src/capture/audio/audio-capture.js';

describe('xrunOf', () => {
  it('reads naudiodon\'s status lines', () => {
    expect(xrunOf('AudioIO: portAudio status - input overflow ')).toBe('overflow');
    expect(xrunOf('AudioIO: portAudio status - input underflow input overflow ')).toBe('overflow');
    expect(xrunOf('AudioIO: portAudio status - input underflow ')).toBe('underflow');
    expect(xrunOf('AudioIO: portAudio status - output underflow ')).toBeUndefined();
    expect(xrunOf('ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM cards.pcm.modem')).toBeUndefined();
  });
});
