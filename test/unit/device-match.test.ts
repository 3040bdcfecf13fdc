import { describe, expect, it } from 'vitest';
import { matchInputDevice } from '../../src/capture/audio/device-match.js';
import type { AudioDeviceInfo } from '../../src/capture/audio/protocol.js';

const dev = (id: number, name: string, ch: number, hostApi = 'ALSA'): AudioDeviceInfo => ({ id, name, hostApi, maxInputChannels: ch, defaultSampleRate: 48000 });
const devices = [
  dev(0, 'HDA Intel PCH: ALC892 Analog (hw:0,0)', 2), dev(1, 'Behringer UMC1820 (hw:1,0)', 18),
  dev(2, 'Behringer UMC1820', 18, 'WASAPI'), dev(3, 'Speakers', 0), dev(4, 'USB Audio CODEC (hw:2,0)', 2), dev(5, 'USB Audio CODEC (hw:3,0)', 2),
];

describe('matchInputDevice', () => {
  it('takes an exact name, preferring the configured host API', () => {
    expect(matchInputDevice(devices, 'Behringer UMC1820', 16, 'WASAPI')).toMatchObject({ ok: true, value: { id: 2 } });
  });
  it('takes a unique substring, case-insensitive', () => {
    expect(matchInputDevice(devices, 'umc1820 (hw', 8)).toMatchObject({ ok: true, value: { id: 1 } });
  });
  it('refuses an ambiguous name, listing the candidates', () => {
    const r = matchInputDevice(devices, 'USB Audio', 2);
    expect(r).toMatchObject({ ok: false, error: { code: 'audio-device-ambiguous' } });
  });
  it('never picks an output-only device, and lists the inputs present', () => {
    const r = matchInputDevice(devices, 'Speakers', 2);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message.en).toContain('"Behringer UMC1820 (hw:1,0)" (ALSA, 18 ch)');
  });
  it('refuses more channels than the device has', () => {
    const r = matchInputDevice(devices, 'Behringer UMC1820 (hw:1,0)', 20);
    expect(r).toMatchObject({ ok: false, error: { code: 'audio-too-many-channels' } });
  });
});
