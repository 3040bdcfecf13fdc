import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VIRTUAL_SEATS, VirtualCourtroom } from '../capture/virtual-courtroom/courtroom.js';
import type { VirtualSink } from '../capture/virtual-courtroom/pulse-sound-card.js';
import { writeVoicesWav } from '../capture/virtual-courtroom/voices.js';
import type { AbkConfig } from '../shared/config.js';

export interface DemoCourtroom { room: VirtualCourtroom; sink: VirtualSink; voices: string; root: string; config: AbkConfig; configPath: string }

/**
 * The virtual courtroom of `abk demo` and `abk serve --demo`: its sound card,
 * `seconds` of its speakers, and a configuration recording it into `out`,
 * kept as `<out>/demo-config.json` so the other commands can work on its sittings.
 */
export async function setUpDemoCourtroom(o: { out?: string | undefined; channels: number; bitDepth: 16 | 24; seconds: number; camera: boolean; extra?: Partial<AbkConfig> }): Promise<DemoCourtroom> {
  const root = resolve(o.out ?? 'recordings');
  mkdirSync(root, { recursive: true });
  const room = new VirtualCourtroom();
  const sink = await room.soundCard(o.channels, o.bitDepth);
  const voices = join(room.card.stateDir, `voices-${o.channels}ch-${o.seconds}s.wav`);
  await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, o.channels), o.seconds);
  const config = { ...room.config(root, sink, { camera: o.camera ? 'test' : 'none' }), ...o.extra };
  const configPath = join(root, 'demo-config.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { room, sink, voices, root, config, configPath };
}
