import { appError, err, ok, type Result } from '../../shared/result.js';
import type { AudioDeviceInfo } from './protocol.js';

/**
 * Finds the configured input device: exact name first (preferring the
 * configured host API), then a unique substring. The error lists what exists.
 */
export function matchInputDevice(
  devices: AudioDeviceInfo[], name: string, channelCount: number, hostApi?: string,
): Result<AudioDeviceInfo> {
  const inputs = devices.filter((d) => d.maxInputChannels > 0);
  const prefer = (list: AudioDeviceInfo[]): AudioDeviceInfo[] => {
    const api = hostApi ? list.filter((d) => d.hostApi.toLowerCase() === hostApi.toLowerCase()) : [];
    return api.length > 0 ? api : list;
  };
  const exact = prefer(inputs.filter((d) => d.name === name));
  const loose = prefer(inputs.filter((d) => d.name.toLowerCase().includes(name.toLowerCase())));
  const found = exact.length > 0 ? exact : loose;
  const available = inputs.map((d) => `"${d.name}" (${d.hostApi}, ${d.maxInputChannels} ch)`).join(', ') || 'none';
  if (found.length === 0) {
    return err(appError('audio-device-not-found',
      `Audio input "${name}" is not connected. Connect it or choose another in the settings. Inputs present: ${available}.`,
      `Аудиовход «${name}» не подключён. Подключите его или выберите другой в настройках. Доступны: ${available}.`,
      `«${name}» аудиокірісі қосылмаған. Оны қосыңыз немесе баптауларда басқасын таңдаңыз. Қолжетімді: ${available}.`));
  }
  if (exact.length === 0 && found.length > 1) {
    return err(appError('audio-device-ambiguous',
      `Audio input name "${name}" matches several devices: ${found.map((d) => `"${d.name}"`).join(', ')}. Use the full name.`,
      `Имя аудиовхода «${name}» подходит к нескольким устройствам: ${found.map((d) => `«${d.name}»`).join(', ')}. Укажите полное имя.`,
      `«${name}» атауы бірнеше құрылғыға сәйкес келеді: ${found.map((d) => `«${d.name}»`).join(', ')}. Толық атауын көрсетіңіз.`));
  }
  const dev = found[0]!;
  if (channelCount > dev.maxInputChannels) {
    return err(appError('audio-too-many-channels',
      `Audio input "${dev.name}" has ${dev.maxInputChannels} channels, but ${channelCount} are configured. Correct the channel map in the settings.`,
      `Аудиовход «${dev.name}» имеет ${dev.maxInputChannels} каналов, а в настройках указано ${channelCount}. Исправьте карту каналов.`,
      `«${dev.name}» аудиокірісінде ${dev.maxInputChannels} арна бар, ал баптауларда ${channelCount} көрсетілген. Арналар картасын түзетіңіз.`));
  }
  return ok(dev);
}
