import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VIRTUAL_SEATS, VirtualCourtroom } from '../../capture/virtual-courtroom/courtroom.js';
import { writeVoicesWav } from '../../capture/virtual-courtroom/voices.js';
import { SittingRecorder } from '../../engine/recorder/sitting-recorder.js';
import { printSummary, runUntilStopped } from '../record-session.js';

export interface DemoOptions { seconds: number; channels: number; bitDepth: 16 | 24; out?: string | undefined; caseNumber: string; camera: boolean }

/**
 * `abk demo`: a whole sitting on the virtual courtroom: each microphone hears
 * its own speaker, the camera is a test pattern. Prints the sitting folder.
 */
export async function demoCommand(o: DemoOptions): Promise<void> {
  const root = resolve(o.out ?? 'recordings');
  mkdirSync(root, { recursive: true });
  const room = new VirtualCourtroom();
  const sink = await room.soundCard(o.channels, o.bitDepth);
  const voices = join(room.card.stateDir, `voices-${o.channels}.wav`);
  process.stderr.write(`virtual courtroom: ${o.channels} microphones (${sink.name}), ${o.camera ? 'test camera' : 'no camera'}\n`);
  await writeVoicesWav(voices, VIRTUAL_SEATS.slice(0, o.channels), o.seconds + 5);
  const config = room.config(root, sink, { camera: o.camera ? 'test' : 'none' });
  const rec = new SittingRecorder({ config, caseNumber: o.caseNumber, captureEnv: room.captureEnv });
  await rec.start();
  const playing = room.card.play(sink, voices);
  process.stderr.write(`recording ${o.seconds} s to ${rec.dir}\n`);
  const summary = await runUntilStopped(rec, o.seconds);
  playing.stop();
  await playing.done.catch(() => undefined);
  printSummary(summary);
  process.stdout.write(`${rec.dir}\n`);
}
