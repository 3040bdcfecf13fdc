/**
 * How the capture process opens an input with naudiodon, shared with the
 * bare read that bench:capture compares it against (same options, data
 * thrown away), so the two always measure the same PortAudio work.
 *
 * PortAudio's period is 2048 frames (43 ms at 48 kHz). Each period wakes
 * PortAudio's thread and the ALSA layer below it: at 1024 frames that alone
 * cost about half again as much CPU (bench:capture's bare read, 16 channels ×
 * 24 bit: 1.7 % of a core at 1024, 1.2 % at 2048, 1.0 % at 4096). 4096 is
 * too coarse: the stream starts about 65 ms later after Start, and the card's
 * position jitters enough for the clock guard to see samples "added" at a
 * 50 ms step (both found by the integration tests). JavaScript takes two
 * periods at a time (85 ms, as before), so each track is written and hashed
 * about 12 times a second, and a kill of the process loses little more than
 * the chunk it was waiting for.
 */
export const FRAMES_PER_BUFFER = 2048;
export const CHUNK_PERIODS = 2;

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
