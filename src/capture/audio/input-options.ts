/**
 * How the capture process opens an input with naudiodon, shared with the
 * bare read that bench:capture compares it against (same options, data
 * thrown away), so the two always measure the same PortAudio work.
 *
 * PortAudio's period is 1024 frames (21 ms at 48 kHz); JavaScript takes four
 * periods at a time (85 ms), so each track is written and hashed about 12
 * times a second. Larger periods are cheaper (bench:capture's bare read, 16
 * channels × 24 bit: 1.7 % of a core at 1024, 1.2 % at 2048, 1.0 % at 4096)
 * but were tried and refused by the integration tests: at 2048 × 2 a
 * restarted take's first sample was placed one chunk (85 ms) late on the
 * timeline, every time; at 4096 × 1 the stream started about 65 ms later after
 * Start and the clock guard saw samples "added" at a 50 ms step. (A period's
 * start could be placed by PortAudio's ADC timestamp, which naudiodon puts on
 * each buffer: not done yet.)
 */
export const FRAMES_PER_BUFFER = 1024;
export const CHUNK_PERIODS = 4;

export interface InputOptions {
  deviceId: number;
  channelCount: number;
  sampleRate: number;
  sampleFormat: 16 | 24;
  framesPerBuffer: number;
  highwaterMark: number;
  maxQueue: number;
  closeOnError: false;
}

export function inputOptions(deviceId: number, channelCount: number, sampleRate: number, bitDepth: 16 | 24): InputOptions {
  const frameBytes = channelCount * (bitDepth / 8);
  return {
    deviceId, channelCount, sampleRate, sampleFormat: bitDepth,
    framesPerBuffer: FRAMES_PER_BUFFER,
    // A whole number of frames per read (24-bit chunks are otherwise not frame-aligned),
    // and about three seconds of queue in PortAudio's thread so a pause of the
    // JavaScript loop does not overflow the input.
    highwaterMark: frameBytes * FRAMES_PER_BUFFER * CHUNK_PERIODS,
    maxQueue: Math.ceil((3 * sampleRate) / FRAMES_PER_BUFFER),
    closeOnError: false,
  };
}
