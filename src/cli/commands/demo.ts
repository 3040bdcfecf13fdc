import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VIRTUAL_SEATS, VirtualCourtroom } from '../../capture/virtual-courtroom/courtroom.js';
import { writeVoicesWav } from '../../capture/virtual-courtroom/voices.js';
import { SittingSession, type MarkRequest } from '../../engine/sittings/sitting-session.js';
import { reportFinalized, showProgress } from '../finalize-output.js';
import { printSummary, runUntilStopped } from '../record-session.js';
import { demoFields } from '../sitting-fields.js';

export interface DemoOptions { seconds: number; channels: number; bitDepth: 16 | 24; out?: string | undefined; caseNumber: string; camera: boolean }

/** The secretary's marks of the demo, at fractions of its length. */
const DEMO_MARKS: [number, MarkRequest][] = [
  [0.05, { kind: 'floor', seat: 'judge' }],
  [0.2, { kind: 'floor', seat: 'plaintiff', participant: 'Қасымов Ғалым Һадиұлы' }],
  [0.35, { kind: 'evidence', text: 'Қарыз шарты № 17' }],
  [0.5, { kind: 'floor', seat: 'defendant', participant: 'Сәрсенбаева Іңкәр' }],
  [0.65, { kind: 'floor', seat: 'witness', participant: 'Үсенова Әсел' }],
  [0.8, { kind: 'note', text: 'Куә бейнебайланыс арқылы жауап берді' }],
  [0.9, { kind: 'decision' }],
];

/**
 * `abk demo`: a whole sitting on the virtual courtroom — each microphone hears
 * its own speaker, the camera is a test pattern, the secretary's marks come at
 * known moments — then stop and finalize. Prints the finished sitting's folder.
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
  // kept, so the demo's sittings can be worked on afterwards: abk sittings|finalize|protocol --config <root>/demo-config.json
  writeFileSync(join(root, 'demo-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const session = SittingSession.open(config);
  try {
    session.create(demoFields(o.caseNumber));
    const rec = await session.start({ captureEnv: room.captureEnv });
    const playing = room.card.play(sink, voices);
    const timers = DEMO_MARKS.map(([at, mark]) => setTimeout(() => session.mark(mark), at * o.seconds * 1000));
    process.stderr.write(`recording ${o.seconds} s to ${rec.dir}\n`);
    printSummary(await runUntilStopped(rec, o.seconds));
    timers.forEach(clearTimeout);
    playing.stop();
    await playing.done.catch(() => undefined);
    const { result } = await session.stop(showProgress);
    await reportFinalized(result, true);
    process.stdout.write(`${result.dir}\n`);
  } finally {
    session.close();
  }
}
