import { chmodSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileNames } from '../../shared/naming.js';
import type { InterruptionCause, SittingFields } from '../../shared/sitting.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';
import type { ALMATY_TZ } from '../../shared/timeline.js';

export type FileKind = 'microphone' | 'mix' | 'video' | 'audio-video';

export interface ManifestFile {
  name: string;
  kind: FileKind;
  bytes: number;
  md5: string;
  sha256: string;
  durationMs: number;
  microphone?: { number: number; stem: string; seat: string; trackName: string; device: string; deviceChannel: number };
  /** One of several files of a microphone longer than a WAV can hold: its place among them and where it starts in the media. */
  part?: { index: number; of: number; startMs: number };
  camera?: string;
  /** Audio-video file: where the audio starts in it (the camera started first) and the sitting's time zero. */
  audioStartMs?: number;
}

export interface ManifestMark {
  id: number;
  kind: string;
  seat?: string;
  participant?: string;
  text?: string;
  corrects?: number;
  /** On the sitting's timeline (zero = first sample, breaks included). */
  timelineMs: number;
  /** In the microphone and mix files (breaks left out). */
  mediaMs: number;
  /** In the audio-video file. */
  avMs: number;
  wallTime: string;
}

export interface Manifest {
  format: 'abk-abt-manifest';
  version: 1;
  base: string;
  caseNumber: string;
  sitting: SittingFields | null;
  timeZone: typeof ALMATY_TZ;
  /** Asia/Almaty's offset from UTC at the start, `+05:00` (absent in manifests made before it was added). */
  utcOffset?: string;
  startedAt: string;
  endedAt: string;
  sampleRate: number;
  bitDepth: number;
  mediaDurationMs: number;
  files: ManifestFile[];
  marks: ManifestMark[];
  pauses: { fromMs: number; toMs: number }[];
  /** `cause`: the interruption (program stopped, power lost) after which the sitting was continued. */
  gaps: { device: string; fromMs: number; toMs: number; cause?: InterruptionCause }[];
  problems: { at: string; source: string; subject: string; code: string }[];
  software: { name: 'ABK ABT'; version: string };
}

/** `md5sum -c` input: `<md5>  <name>` per line; names never hold a newline or a backslash. */
export function md5sums(files: { name: string; md5: string }[]): string {
  return files.map((f) => `${f.md5}  ${f.name}\n`).join('');
}

/** The lines of an MD5SUMS file, as `md5sums` writes them. */
export function parseMd5sums(text: string): { name: string; md5: string }[] {
  return text.split('\n').filter((l) => /^[0-9a-f]{32} [ *]./.test(l)).map((l) => ({ md5: l.slice(0, 32), name: l.slice(34) }));
}

/** A folder's MD5SUMS, flushed, read-only, and put in place (over the old one) in one rename. */
export function writeMd5sums(dir: string, files: { name: string; md5: string }[]): void {
  const path = join(dir, fileNames.md5sums());
  const next = `${path}.tmp`;
  writeFileDurable(next, md5sums(files));
  chmodSync(next, 0o444);
  renameSync(next, path);
}

export function readManifest(dir: string, name: string): Manifest {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as Manifest;
}

/** The microphone files by microphone, in number order, each microphone's parts in order (one file each, but past the WAV limit). */
export function microphoneFiles<F extends Pick<ManifestFile, 'kind' | 'microphone' | 'part'>>(files: F[]): F[][] {
  const byNumber = new Map<number, F[]>();
  for (const f of files) {
    if (f.kind !== 'microphone' || !f.microphone) continue;
    byNumber.set(f.microphone.number, [...(byNumber.get(f.microphone.number) ?? []), f]);
  }
  return [...byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, fs]) => fs.sort((a, b) => (a.part?.index ?? 1) - (b.part?.index ?? 1)));
}
