import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualCourtroom } from '../../src/capture/virtual-courtroom/courtroom.js';
import { PulseSoundCard } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import type { VirtualSink } from '../../src/capture/virtual-courtroom/pulse-sound-card.js';
import { writeCounterWav } from '../../src/capture/virtual-courtroom/test-signal.js';
import { SittingRecorder, type RecorderEvent, type RecorderOptions, type SittingSummary } from '../../src/engine/recorder/sitting-recorder.js';
import type { AbkConfig } from '../../src/shared/config.js';

/** A virtual courtroom of its own for one test file, in a temporary folder removed afterwards. */
export class TestCourtroom {
  readonly dir = mkdtempSync(join(tmpdir(), 'abk-test-'));
  readonly room = new VirtualCourtroom(join(this.dir, 'courtroom'));
  readonly recordings = join(this.dir, 'recordings');

  constructor() {
    mkdirSync(this.recordings, { recursive: true });
  }

  sink(channels: number, bitDepth: 16 | 24): Promise<VirtualSink> {
    return this.room.soundCard(channels, bitDepth);
  }

  /** The counter signal for `sink`, `seconds` long; returns its path and frame count. */
  counter(sink: VirtualSink, seconds: number): { path: string; frames: number } {
    const path = join(this.dir, `counter-${sink.name}-${seconds}.wav`);
    writeCounterWav(path, sink.channels, seconds, sink.bitDepth);
    return { path, frames: seconds * 48000 };
  }

  recorder(config: AbkConfig, caseNumber = '7599-24-00-2/1234', extra: Partial<RecorderOptions> = {}): SittingRecorder {
    return new SittingRecorder({ config, caseNumber, captureEnv: this.room.captureEnv, ...extra });
  }

  /** Record while the file plays, then stop a moment after it ends. */
  async recordWhilePlaying(rec: SittingRecorder, sink: VirtualSink, wav: string, tailMs = 600): Promise<SittingSummary> {
    await rec.start();
    await this.room.card.play(sink, wav).done;
    await new Promise((r) => setTimeout(r, tailMs));
    return rec.stop();
  }

  /**
   * Record while the file plays, until the recorder stops by itself (a full
   * disk) or the file ends; returns the summary and every event but levels.
   */
  async recordUntilItStops(rec: SittingRecorder, sink: VirtualSink, wav: string): Promise<{ summary: SittingSummary; events: RecorderEvent[] }> {
    const events: RecorderEvent[] = [];
    rec.on('event', (e) => { if (e.type !== 'levels') events.push(e); });
    await rec.start();
    const playing = this.room.card.play(sink, wav);
    const stopped = new Promise<void>((r) => rec.on('event', (e) => { if (e.type === 'state' && e.state === 'stopped') r(); }));
    await Promise.race([stopped, playing.done]);
    playing.stop();
    return { summary: await rec.stop(), events };
  }

  private readonly others: PulseSoundCard[] = [];

  /**
   * The environment for an `abk demo` run by a test: a virtual courtroom of
   * its own under this one's folder (its sound card apart from the test's),
   * whose PulseAudio, which the demo leaves running, `close()` stops.
   */
  demoEnv(name: string): { ABK_VIRTUAL_COURTROOM_DIR: string } {
    const dir = join(this.dir, name);
    this.others.push(new PulseSoundCard(dir));
    return { ABK_VIRTUAL_COURTROOM_DIR: dir };
  }

  async close(): Promise<void> {
    for (const card of this.others) await card.shutdown();
    await this.room.card.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The codes of the problems a recorder reports from now on, collected as they come. */
export function problemCodesOf(rec: SittingRecorder): string[] {
  const codes: string[] = [];
  rec.on('event', (e) => { if (e.type === 'problem') codes.push(e.error.code); });
  return codes;
}

/** Segment files of one track, in timeline order. */
export function trackFiles(summary: SittingSummary, stem: string): string[] {
  return summary.audioSegments.filter((s) => s.stem === stem).sort((a, b) => a.take - b.take || a.index - b.index).map((s) => join(summary.dir, s.file));
}
