import type { DevicePlan } from '../../capture/audio/protocol.js';
import type { AudioDeviceConfig } from '../../shared/config.js';
import { SEAT_ROLES } from '../../shared/seats.js';

/**
 * Turns the configured channel-to-seat map into capture plans: microphones are
 * numbered across all devices in configuration order (mic01, mic02, …) and
 * named after their seat, so a file name says whose microphone it is.
 */
export function planDevices(devices: AudioDeviceConfig[]): DevicePlan[] {
  let mic = 0;
  return devices.map((d, i) => {
    const channelCount = d.channelCount ?? Math.max(...d.channels.map((c) => c.channel));
    const plan: DevicePlan = {
      key: `dev${i + 1}`,
      name: d.name,
      channelCount,
      tracks: d.channels.map((c) => {
        mic += 1;
        const num = String(mic).padStart(2, '0');
        return { deviceChannel: c.channel - 1, stem: `mic${num}_${c.seat}`, trackName: `mic${num} ${c.label ?? SEAT_ROLES[c.seat].ru}` };
      }),
    };
    if (d.hostApi !== undefined) plan.hostApi = d.hostApi;
    return plan;
  });
}
