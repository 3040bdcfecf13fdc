/**
 * ffmpeg arguments for the mix of all microphones: each microphone at an equal
 * share, then levels evened out (dynaudnorm: a quiet witness is lifted, a loud
 * prosecutor is not raised further) and a look-ahead limiter with its delay
 * compensated, so the mix never clips and stays on the timeline.
 * One graph, used live during recording and from the WAV files when a mix
 * has to be made again.
 */
export const MIX_LEVELS = 'dynaudnorm=f=250:g=15:p=0.9:m=20,alimiter=limit=0.891:level=0:latency=1';
export const MIX_AAC = ['-c:a', 'aac', '-b:a', '96k'];
export const MIX_MP3 = ['-c:a', 'libmp3lame', '-b:a', '96k'];
/** Fragmented MP4: a kill loses at most the last second. */
export const FRAGMENTED_MP4 = ['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000', '-f', 'mp4'];

export interface MixInput {
  /** ffmpeg input arguments ending with `-i …`. */
  input: string[];
  /** 0-based channels of that input to mix. */
  channels: number[];
}

export interface MixOutputs { m4a: string; mp3: string }

function graph(inputs: MixInput[]): string {
  const parts = inputs.map((inp, i) => `[${i}:a]pan=mono|c0<${inp.channels.map((c) => `c${c}`).join('+')}[d${i}]`);
  const sum = inputs.length === 1 ? '[d0]' : `${inputs.map((_, i) => `[d${i}]`).join('')}amix=inputs=${inputs.length}:normalize=1:duration=longest,`;
  return `${parts.join(';')};${sum}${MIX_LEVELS},asplit=2[aac][mp3]`;
}

/** The mixing command without ffmpeg's common flags (for callers that add their own, e.g. -progress). */
export function mixCoreArgs(inputs: MixInput[], out: MixOutputs): string[] {
  return [
    ...inputs.flatMap((i) => i.input),
    '-filter_complex', graph(inputs),
    '-map', '[aac]', ...MIX_AAC, ...FRAGMENTED_MP4, out.m4a,
    '-map', '[mp3]', ...MIX_MP3, '-f', 'mp3', out.mp3,
  ];
}

export function mixArgs(inputs: MixInput[], out: MixOutputs): string[] {
  return ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...mixCoreArgs(inputs, out)];
}

/** Raw PCM from the capture process: the first device on stdin, the others on fds 3, 4, … */
export function pipeInput(index: number, channelCount: number, sampleRate: number, bitDepth: 16 | 24): string[] {
  return ['-f', bitDepth === 24 ? 's24le' : 's16le', '-ar', String(sampleRate), '-ac', String(channelCount), '-i', `pipe:${index === 0 ? 0 : index + 2}`];
}
