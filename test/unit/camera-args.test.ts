import { describe, expect, it } from 'vitest';
import { cameraInputArgs, cameraOutputArgs, chooseVideoCodec } from '../../src/capture/video/camera-args.js';
import { parseDeviceList } from '../../src/capture/video/camera-devices.js';

const cam = { width: 640, height: 360, fps: 25 };

describe('camera arguments', () => {
  it('copies an IP camera and encodes other sources with x264, else MPEG-4 Part 2', () => {
    expect(chooseVideoCodec({ kind: 'rtsp', url: 'rtsp://x', transport: 'tcp' }, new Set(['libx264']))).toBe('copy');
    expect(chooseVideoCodec({ kind: 'v4l2', device: '/dev/video0' }, new Set(['libx264', 'mpeg4']))).toBe('libx264');
    expect(chooseVideoCodec({ kind: 'dshow', device: 'HD Webcam' }, new Set(['mpeg4']))).toBe('mpeg4');
    expect(chooseVideoCodec({ kind: 'rtsp', url: 'rtsp://x', transport: 'tcp' }, new Set(['libx264']), 'mpeg4')).toBe('mpeg4');
    expect(chooseVideoCodec({ kind: 'rtsp', url: 'rtsp://x', transport: 'tcp' }, new Set(['libx264']), 'h264')).toBe('libx264');
  });
  it('stamps local cameras with the wall clock and keeps the URL as one argument', () => {
    expect(cameraInputArgs({ kind: 'dshow', device: 'HD Pro Webcam C920' }, cam)).toEqual(
      ['-use_wallclock_as_timestamps', '1', '-f', 'dshow', '-framerate', '25', '-video_size', '640x360', '-i', 'video=HD Pro Webcam C920']);
    const rtsp = cameraInputArgs({ kind: 'rtsp', url: 'rtsp://user:p a;ss@10.0.0.5/stream', transport: 'tcp' }, cam);
    expect(rtsp.at(-1)).toBe('rtsp://user:p a;ss@10.0.0.5/stream');
  });
  it('writes fragmented MP4 with a keyframe a second, and a preview', () => {
    const args = cameraOutputArgs('libx264', 25, '/r/cam1.s001.mp4', '/r/cam1.preview.jpg');
    expect(args.join(' ')).toContain('-g 25');
    expect(args.join(' ')).toContain('+frag_keyframe+empty_moov+default_base_moof');
    expect(args).toContain('/r/cam1.preview.jpg');
  });
});

describe('parseDeviceList', () => {
  it('reads DirectShow video devices', () => {
    const stderr = '[dshow @ 000] "HD Pro Webcam C920" (video)\n[dshow @ 000]   Alternative name "@device_pnp_..."\n[dshow @ 000] "Microphone (C920)" (audio)\n';
    expect(parseDeviceList('dshow', stderr)).toEqual([{ kind: 'dshow', device: 'HD Pro Webcam C920', name: 'HD Pro Webcam C920' }]);
  });
  it('reads AVFoundation video devices only', () => {
    const stderr = '[AVFoundation indev @ 0x1] AVFoundation video devices:\n[AVFoundation indev @ 0x1] [0] FaceTime HD Camera\n[AVFoundation indev @ 0x1] AVFoundation audio devices:\n[AVFoundation indev @ 0x1] [0] MacBook Microphone\n';
    expect(parseDeviceList('avfoundation', stderr)).toEqual([{ kind: 'avfoundation', device: '0', name: 'FaceTime HD Camera' }]);
  });
});
