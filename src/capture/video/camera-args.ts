import type { CameraConfig, CameraSource } from '../../shared/config.js';

/**
 * ffmpeg arguments for recording one camera: the input for its kind, an
 * H.264 (or MPEG-4 Part 2) stream in fragmented MP4 with a fragment a second,
 * so a kill loses at most the last second, and a small preview JPEG for the UI.
 */
export function cameraInputArgs(source: CameraSource, cam: Pick<CameraConfig, 'width' | 'height' | 'fps'>): string[] {
  const size = `${cam.width}x${cam.height}`;
  // Frames stamped with the wall clock as they are read: ffmpeg then prints the
  // first frame's time as the input's "start:", which places the video on the
  // timeline. An IP camera keeps its own RTP timestamps (steadier for copying).
  const wall = ['-use_wallclock_as_timestamps', '1'];
  switch (source.kind) {
    case 'test':
      // -re paces the generator like a real camera.
      return [...wall, '-re', '-f', 'lavfi', '-i', testPattern(source.pattern, size, cam.fps)];
    case 'rtsp':
      return ['-rtsp_transport', source.transport, '-timeout', '5000000', '-i', source.url];
    case 'v4l2':
      return [...wall, '-f', 'v4l2', '-framerate', String(cam.fps), '-video_size', size, '-i', source.device];
    case 'dshow':
      return [...wall, '-f', 'dshow', '-framerate', String(cam.fps), '-video_size', size, '-i', `video=${source.device}`];
    case 'avfoundation':
      return [...wall, '-f', 'avfoundation', '-framerate', String(cam.fps), '-video_size', size, '-i', `${source.device}:none`];
  }
}

/** Seconds between the flashes of the `flash` test pattern: at every whole multiple of it in wall-clock time. */
export const FLASH_PERIOD_S = 30;

/**
 * The `flash` pattern is dark grey and turns white for a second at every
 * multiple of FLASH_PERIOD_S of the wall clock (from the frame made within
 * ±20 ms of it), so a beep played at the same instant measures audio/video sync.
 */
function testPattern(pattern: 'testsrc2' | 'smptebars' | 'flash', size: string, fps: number): string {
  if (pattern !== 'flash') return `${pattern}=size=${size}:rate=${fps}`;
  return `color=c=0x202020:size=${size}:rate=${fps},drawbox=c=white:t=fill:enable='lt(mod(time(0)+0.02,${FLASH_PERIOD_S}),1)'`;
}

export type VideoCodecChoice = 'copy' | 'libx264' | 'mpeg4';

/** Copy an IP camera's H.264 as is; otherwise encode with x264 where the build has it, else MPEG-4 Part 2. */
export function chooseVideoCodec(source: CameraSource, encoders: Set<string>, wanted: CameraConfig['codec'] = 'auto'): VideoCodecChoice {
  if (wanted === 'mpeg4') return 'mpeg4';
  if (wanted === 'auto' && source.kind === 'rtsp') return 'copy';
  return encoders.has('libx264') ? 'libx264' : 'mpeg4';
}

/**
 * The preview branch is also where the camera guard looks: one frame a second
 * through freezedetect (unchanged for `freezeSeconds`) and blackframe (98 %
 * of the picture dark), whose verdicts ffmpeg prints as it goes.
 */
export function cameraOutputArgs(codec: VideoCodecChoice, fps: number, videoPath: string, previewPath: string, freezeSeconds = 10): string[] {
  const encode: Record<VideoCodecChoice, string[]> = {
    copy: ['-c:v', 'copy'],
    libx264: ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-crf', '23', '-pix_fmt', 'yuv420p',
      '-g', String(fps), '-keyint_min', String(fps), '-sc_threshold', '0'],
    mpeg4: ['-c:v', 'mpeg4', '-q:v', '4', '-pix_fmt', 'yuv420p', '-g', String(fps)],
  };
  return [
    '-map', '0:v:0', ...encode[codec], '-an',
    '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000',
    '-f', 'mp4', videoPath,
    '-map', '0:v:0', '-vf', `fps=1,freezedetect=n=-60dB:d=${freezeSeconds},blackframe=amount=98:threshold=32,scale=320:-2`, '-q:v', '6', '-update', '1', '-f', 'image2', '-y', previewPath,
  ];
}
