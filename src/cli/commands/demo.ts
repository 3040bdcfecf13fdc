import { SittingSession, type MarkRequest } from '../../engine/sittings/sitting-session.js';
import { reportFinalized, showProgress } from '../finalize-output.js';
import { printSummary, runUntilStopped } from '../record-session.js';
import { demoFields } from '../sitting-fields.js';
import { setUpDemoCourtroom } from '../demo-courtroom.js';

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
  const { room, sink, voices, config } = await setUpDemoCourtroom({ ...o, seconds: o.seconds + 5 });
  process.stderr.write(`virtual courtroom: ${o.channels} microphones (${sink.name}), ${o.camera ? 'test camera' : 'no camera'}\n`);
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
    await session.close();
  }
}
