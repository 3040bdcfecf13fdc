import { join } from 'node:path';
import type { EngineEvent, PlayerInfo } from '../../shared/api/contract.js';
import type { AbkConfig } from '../../shared/config.js';
import { toAppError, type AppError } from '../../shared/result.js';
import { SEAT_ROLES, type SeatRole } from '../../shared/seats.js';
import { listeningCopyReady, listeningDir, listeningFiles, makeListeningCopy, PEAKS_PER_SECOND } from '../listening/listening-copy.js';
import type { SittingRow } from '../sittings/sitting-store.js';
import { finishedOf } from './views.js';
import { microphoneFiles } from '../finalize/manifest.js';

type Job = { state: 'making'; progress: number } | { state: 'failed'; error: AppError };

/**
 * The player's side of the engine: the listening copy of each finished
 * sitting (made once after finalize, or when the player first asks), and
 * where the browser fetches the copy, the waveform and the video.
 */
export class PlayerJobs {
  private readonly jobs = new Map<number, Job>();

  constructor(private readonly config: () => AbkConfig, private readonly ffmpeg: string, private readonly emit: (e: EngineEvent) => void) {}

  /** The files the media route may serve for a sitting: only these, never a path from the request. */
  mediaPath(row: SittingRow, what: string): string | undefined {
    const root = this.config().recordingsRoot;
    const files = listeningFiles(listeningDir(root, row.base));
    if (what === 'listen.webm') return listeningCopyReady(listeningDir(root, row.base)) ? files.webm : undefined;
    if (what === 'peaks.bin') return listeningCopyReady(listeningDir(root, row.base)) ? files.peaks : undefined;
    const done = finishedOf(root, row);
    const av = done?.manifest.files.find((f) => f.kind === 'audio-video');
    return what === 'video.mp4' && done && av ? join(done.dir, av.name) : undefined;
  }

  info(row: SittingRow, lang: 'ru' | 'kk' | 'en' = 'ru'): PlayerInfo | undefined {
    const root = this.config().recordingsRoot;
    const done = finishedOf(root, row);
    if (!done) return undefined;
    const { manifest } = done;
    const mics = microphoneFiles(manifest.files).map((fs) => fs[0]!); // a track per microphone, whatever its parts
    const ready = listeningCopyReady(listeningDir(root, row.base));
    if (!ready) this.make(row);
    const job = this.jobs.get(row.id);
    const av = manifest.files.find((f) => f.kind === 'audio-video');
    const media = `/media/${row.id}`;
    return {
      sittingId: row.id, base: row.base, durationMs: manifest.mediaDurationMs,
      tracks: mics.map((f, i) => ({ index: i, stem: f.microphone!.stem, seat: f.microphone!.seat, label: SEAT_ROLES[f.microphone!.seat as SeatRole]?.[lang] ?? f.microphone!.seat })),
      marks: manifest.marks.filter((m) => !manifest.marks.some((c) => c.corrects === m.id)).map((m) => ({
        id: m.id, kind: m.kind as PlayerInfo['marks'][number]['kind'], timelineMs: m.mediaMs, wallMs: Date.parse(m.wallTime),
        ...(m.seat ? { seat: m.seat } : {}), ...(m.participant ? { participant: m.participant } : {}), ...(m.text ? { text: m.text } : {}),
      })),
      listen: ready ? { state: 'ready', url: `${media}/listen.webm` } : job?.state === 'failed' ? { state: 'failed', error: job.error } : { state: 'making', progress: job?.progress ?? 0 },
      peaks: ready ? { url: `${media}/peaks.bin`, perSecond: PEAKS_PER_SECOND } : undefined,
      video: av ? { url: `${media}/video.mp4`, audioStartMs: av.audioStartMs ?? 0 } : undefined,
    };
  }

  /** Make the listening copy once (a second request while it is being made waits for the same job). */
  make(row: SittingRow): void {
    const root = this.config().recordingsRoot;
    const current = this.jobs.get(row.id);
    if (current?.state === 'making' || listeningCopyReady(listeningDir(root, row.base))) return;
    const done = finishedOf(root, row);
    if (!done) return;
    const wavs = microphoneFiles(done.manifest.files).map((fs) => fs.map((f) => join(done.dir, f.name)));
    const job: Job = { state: 'making', progress: 0 };
    this.jobs.set(row.id, job);
    let told = 0;
    makeListeningCopy({
      ffmpeg: this.ffmpeg, wavs, dir: listeningDir(root, row.base), durationMs: done.manifest.mediaDurationMs,
      onProgress: (f) => {
        job.progress = f;
        if (f - told >= 0.02) { told = f; this.emit({ type: 'progress', sittingId: row.id, task: 'listening-copy', stage: 'encode', fraction: f }); }
      },
    }).then(() => {
      this.jobs.delete(row.id);
      this.emit({ type: 'progress', sittingId: row.id, task: 'listening-copy', stage: 'done', fraction: 1 });
    }, (e: unknown) => {
      this.jobs.set(row.id, { state: 'failed', error: toAppError(e, 'listening-copy-failed') });
      this.emit({ type: 'progress', sittingId: row.id, task: 'listening-copy', stage: 'failed', fraction: 0 });
    });
  }
}
