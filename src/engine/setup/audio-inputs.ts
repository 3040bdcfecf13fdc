import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AudioCapture } from '../../capture/audio/audio-capture.js';
import { matchInputDevice } from '../../capture/audio/device-match.js';
import type { AudioDeviceInfo } from '../../capture/audio/protocol.js';
import type { AppError } from '../../shared/result.js';
import type { SetupAnswers } from '../../shared/setup-answers.js';

/** The audio inputs of this PC, as the capture process sees them (a capture process started for the listing only). */
export async function listAudioInputs(captureEnv: Record<string, string>): Promise<AudioDeviceInfo[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'abk-devices-'));
  try {
    const cap = await AudioCapture.spawn({ cwd: scratch, logFile: join(scratch, 'capture.log'), env: captureEnv });
    try {
      return (await cap.listDevices()).filter((d) => d.maxInputChannels > 0);
    } finally {
      await cap.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Each answered audio device that recording could not open on this PC, as
 * recording itself would match it (exact name, else a unique part of one;
 * enough channels): an imported set-up is flagged device by device, never trimmed.
 */
export function flagDevices(devices: SetupAnswers['audioDevices'], present: AudioDeviceInfo[]): AppError[] {
  return devices.flatMap((d) => {
    const m = matchInputDevice(present, d.name, d.channelCount, d.hostApi);
    return m.ok ? [] : [m.error];
  });
}
