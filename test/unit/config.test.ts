import { describe, expect, it } from 'vitest';
import { chainChunkBytes, parseConfig, segmentFrames } from '../../src/shared/config.js';

const base = { recordingsRoot: '/srv/abk', audio: { devices: [{ name: 'UMC1820', channels: [{ channel: 1, seat: 'judge' }, { channel: 2, seat: 'secretary' }] }] } };

describe('parseConfig', () => {
  it('fills in courtroom defaults', () => {
    const r = parseConfig(base);
    expect(r).toMatchObject({ ok: true, value: { audio: { sampleRate: 48000, bitDepth: 24, chainChunkSeconds: 60 }, video: { cameras: [] }, disk: { stopFreeMiB: 256 } } });
    if (!r.ok) return;
    // one segment a microphone as long as a WAV may hold: 4 GiB less 4 KiB for the header, in whole 24-bit frames of an even size
    expect(r.value.audio.segmentSeconds).toBeUndefined();
    expect(segmentFrames(r.value.audio)).toBe(1431654398);
    expect((segmentFrames(r.value.audio) * 3) % 2).toBe(0);
    expect(segmentFrames(r.value.audio) * 3).toBeLessThanOrEqual(0xffffffff - 4096);
    expect(segmentFrames({ ...r.value.audio, segmentSeconds: 600 })).toBe(28_800_000);
    expect(chainChunkBytes(r.value.audio)).toBe(60 * 48000 * 3);
  });
  it('names every bad field with its path', () => {
    const r = parseConfig({ ...base, audio: { ...base.audio, bitDepth: 20, sampleRate: 96000 } });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain('audio.bitDepth');
      expect(r.error).toContain('audio.sampleRate');
    }
  });
  it('refuses a channel mapped twice and a channel beyond channelCount', () => {
    const twice = parseConfig({ ...base, audio: { devices: [{ name: 'x', channels: [{ channel: 1, seat: 'judge' }, { channel: 1, seat: 'witness' }] }] } });
    expect(twice).toMatchObject({ ok: false, error: expect.stringContaining('channel 1 is mapped twice') });
    const beyond = parseConfig({ ...base, audio: { devices: [{ name: 'x', channelCount: 2, channels: [{ channel: 3, seat: 'judge' }] }] } });
    expect(beyond).toMatchObject({ ok: false, error: expect.stringContaining('channel 3 is mapped but channelCount is 2') });
  });
  it('refuses an unknown seat and a camera below 640x320', () => {
    const r = parseConfig({ ...base, audio: { devices: [{ name: 'x', channels: [{ channel: 1, seat: 'jury' }] }] },
      video: { cameras: [{ id: 'cam1', source: { kind: 'test' }, width: 320, height: 240 }] } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/seat[\s\S]*width/);
  });
  it('checks that an IP camera address is rtsp://', () => {
    const r = parseConfig({ ...base, video: { cameras: [{ id: 'cam1', source: { kind: 'rtsp', url: 'http://10.0.0.5/stream' } }] } });
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining('must start with rtsp://') });
  });
});
