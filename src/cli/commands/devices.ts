import { listAudioInputs } from '../../engine/setup/audio-inputs.js';
import { listVideoInputs } from '../../capture/video/camera-devices.js';
import { locateFfmpeg } from '../../capture/video/ffmpeg-locate.js';
import type { AbkConfig } from '../../shared/config.js';
import { redactCredentials } from '../../shared/redact.js';
import { captureEnvFromProcess, loadConfig } from '../load-config.js';

/** `abk devices`: audio inputs with their channel counts, cameras, and the configured IP cameras. */
export async function devicesCommand(opts: { config?: string | undefined; json: boolean }): Promise<void> {
  let config: AbkConfig | undefined;
  try {
    config = loadConfig(opts.config);
  } catch {
    config = undefined; // listing devices needs no configuration
  }
  const audio = await listAudioInputs(captureEnvFromProcess());
  const tools = locateFfmpeg(config);
  const video = await listVideoInputs(tools.ffmpeg);
  const configured = config?.video.cameras ?? [];
  if (opts.json) {
    process.stdout.write(`${redactCredentials(JSON.stringify({ audio, video, configuredCameras: configured, ffmpeg: tools }, null, 2))}\n`);
    return;
  }
  const lines = ['Audio inputs:'];
  for (const d of audio) lines.push(`  [${d.id}] ${d.name}  ${d.maxInputChannels} ch  ${d.hostApi}  default ${d.defaultSampleRate} Hz`);
  if (audio.length === 0) lines.push('  none found');
  lines.push('Cameras:');
  for (const v of video) lines.push(`  ${v.kind} ${v.device}  ${v.name}`);
  for (const c of configured) lines.push(`  configured "${c.id}": ${c.source.kind}${'url' in c.source ? ` ${redactCredentials(c.source.url)}` : ''}  ${c.width}x${c.height}@${c.fps}`);
  if (video.length === 0 && configured.length === 0) lines.push('  none found');
  lines.push(`ffmpeg: ${tools.ffmpeg} (from ${tools.source})`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
