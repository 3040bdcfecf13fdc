import { ATTENDANCE_LABELS, MARK_KIND_LABELS, PROTOCOL_TEXT, SEAL_TEXT, type ProtocolLanguage } from '../../shared/protocol-labels.js';
import { healthLines } from './health-lines.js';
import { clock, seatName } from './words.js';
import { fileNames } from '../../shared/naming.js';
import type { MarkKind } from '../../shared/sitting.js';
import { almatyDate, almatyTime } from '../../shared/timeline.js';
import { microphoneFiles, type Manifest, type ManifestFile, type ManifestMark } from '../finalize/manifest.js';

/** Everything a protocol template may show, already worded in the language of proceedings. */
export interface ProtocolData {
  court: string; city: string; courtroom: string; caseNumber: string; caseCategory: string; description: string;
  language: ProtocolLanguage; languageName: string;
  startDate: string; startTime: string; endDate: string; endTime: string; utcOffset: string; recordedDuration: string;
  presidingJudge: string; hasJudges: boolean; judges: { name: string; last: boolean }[]; secretary: string; interpreter: string;
  participants: { n: number; name: string; role: string; attendance: string }[];
  evidence: { n: number; title: string; presentedBy: string }[];
  marks: { n: number; offset: string; wallTime: string; who: string; what: string }[];
  breaks: { from: string; to: string; what: string }[];
  microphones: { number: number; seat: string; trackName: string; last: boolean }[];
  cameras: { name: string; last: boolean }[];
  software: string;
  files: { n: number; name: string; kind: string; bytes: string; md5: string; sha256: string; duration: string }[];
  manifestName: string; manifestMd5: string;
  /** The seal of the manifest revision it was made from, and its timestamp, in words. */
  seal: string;
  complete: boolean; completeness: string; gaps: { from: string; to: string; what: string }[];
  /** What the health guards found (when, how long, on what), the seats not watched; `healthNone` when nothing was found. */
  health: { from: string; to: string; lasted: string; what: string }[]; healthNone: string;
  /** The pre-session self-test in one line. */
  selfTest: string;
  generatedAt: string;
}

/** The seal of a manifest revision as its folder has it: by whose certificate, and whether its RFC 3161 timestamp came (`none`: no TSA configured). */
export type SealState = { sealed: false } | { sealed: true; fingerprint: string; stamp: 'stamped' | 'missing' | 'none' };

function sealWords(s: SealState, l: ProtocolLanguage): string {
  if (!s.sealed) return SEAL_TEXT.unsealed[l];
  const stamp = SEAL_TEXT[s.stamp === 'stamped' ? 'stamped' : s.stamp === 'missing' ? 'stampMissing' : 'noTsa'][l];
  return `${SEAL_TEXT.sealed[l].replace('{fp}', s.fingerprint)} ${stamp}`;
}

/** `2026-11-23` → `23.11.2026`, as dates are written in Kazakhstan. */
const dotted = (isoDate: string): string => isoDate.split('-').reverse().join('.');

/** `2026-11-23 10:30:05` (the manifest's local form) → `23.11.2026` and `10:30:05`. */
function splitLocal(local: string): { date: string; time: string } {
  const [d = '', time = ''] = local.split(' ');
  return { date: dotted(d), time };
}

const withLast = <T extends object>(items: T[]): (T & { last: boolean })[] => items.map((x, i) => ({ ...x, last: i === items.length - 1 }));

/** The marks as they stand: a corrected mark is shown in its latest form, flagged as corrected. */
function currentMarks(marks: ManifestMark[]): (ManifestMark & { corrected: boolean })[] {
  const byId = new Map(marks.map((m) => [m.id, m]));
  const rootOf = (m: ManifestMark): number => {
    let root = m;
    for (let up = byId.get(root.corrects ?? NaN); up; up = byId.get(root.corrects ?? NaN)) root = up;
    return root.id;
  };
  const latest = new Map<number, ManifestMark>();
  for (const m of [...marks].sort((a, b) => a.id - b.id)) latest.set(rootOf(m), m);
  return [...latest.entries()].map(([root, m]) => ({ ...m, corrected: m.id !== root })).sort((a, b) => a.timelineMs - b.timelineMs || a.id - b.id);
}

function fileKind(f: ManifestFile, l: ProtocolLanguage): string {
  if (f.kind === 'microphone') return `${PROTOCOL_TEXT.microphone[l]} ${f.microphone?.number ?? ''} (${seatName(f.microphone?.seat, l)})`;
  return PROTOCOL_TEXT[f.kind === 'mix' ? 'mix' : f.kind === 'video' ? 'video' : 'audioVideo'][l];
}

/** Break → resume and deliberation → return as intervals (an unclosed one has no end); a decision as an instant. */
function breakIntervals<M extends ManifestMark>(marks: M[], wallOf: (m: M) => string, whatOf: (m: M) => string): { at: number; from: string; to: string; what: string }[] {
  const closes: Record<string, string> = { resume: 'break', return: 'deliberation' };
  const out: { at: number; from: string; to: string; what: string; kind: string }[] = [];
  for (const m of marks) {
    if (m.kind === 'break' || m.kind === 'deliberation' || m.kind === 'decision') out.push({ at: m.timelineMs, from: wallOf(m), to: '', what: whatOf(m), kind: m.kind });
    const opens = closes[m.kind];
    const open = opens ? out.findLast((x) => x.kind === opens && x.to === '') : undefined;
    if (open) open.to = wallOf(m);
  }
  return out.map(({ kind: _kind, ...rest }) => rest);
}

export function protocolData(m: Manifest, manifestMd5: string, generatedAtMs: number, seal: SealState = { sealed: false }): ProtocolData {
  const f = m.sitting;
  const l: ProtocolLanguage = f?.language ?? 'ru';
  const start = splitLocal(m.startedAt);
  const end = splitLocal(m.endedAt);
  const marks = currentMarks(m.marks);
  const wallOf = (mark: ManifestMark): string => splitLocal(mark.wallTime).time;
  const whatOf = (mark: ManifestMark & { corrected: boolean }): string =>
    [MARK_KIND_LABELS[mark.kind as MarkKind]?.[l] ?? mark.kind, mark.text].filter(Boolean).join(': ') + (mark.corrected ? ` (${PROTOCOL_TEXT.corrected[l]})` : '');
  return {
    court: f?.court ?? '', city: f?.city ?? '', courtroom: f?.courtroom ?? '', caseNumber: m.caseNumber,
    caseCategory: f?.caseCategory ?? '', description: f?.description ?? '',
    language: l, languageName: PROTOCOL_TEXT.languageName[l],
    startDate: start.date, startTime: start.time, endDate: end.date, endTime: end.time,
    utcOffset: m.utcOffset ?? '+05:00', recordedDuration: clock(m.mediaDurationMs),
    presidingJudge: f?.presidingJudge ?? '', hasJudges: (f?.judges.length ?? 0) > 0,
    judges: withLast((f?.judges ?? []).map((name) => ({ name }))), secretary: f?.secretary ?? '', interpreter: f?.interpreter ?? '',
    participants: (f?.participants ?? []).map((p, i) => ({ n: i + 1, name: p.name, role: seatName(p.role, l), attendance: ATTENDANCE_LABELS[p.attendance][l] })),
    evidence: (f?.evidence ?? []).map((e, i) => ({ n: i + 1, title: e.title, presentedBy: e.presentedBy ?? '' })),
    marks: marks.map((mark, i) => ({
      n: i + 1, offset: clock(mark.timelineMs), wallTime: wallOf(mark),
      who: [mark.participant, mark.seat ? seatName(mark.seat, l) : undefined].filter(Boolean).join(', '), what: whatOf(mark),
    })),
    breaks: [
      ...breakIntervals(marks, wallOf, whatOf),
      ...m.pauses.map((p) => ({ at: p.fromMs, from: wallOffset(m.startedAt, p.fromMs), to: wallOffset(m.startedAt, p.toMs), what: PROTOCOL_TEXT.paused[l] })),
    ].sort((a, b) => a.at - b.at).map(({ from, to, what }) => ({ from, to, what })),
    microphones: withLast(microphoneFiles(m.files).map((fs) => fs[0]!).map((x) => ({ number: x.microphone!.number, seat: seatName(x.microphone!.seat, l), trackName: x.microphone!.trackName }))),
    cameras: withLast(m.files.filter((x) => x.kind === 'video').map((x) => ({ name: x.camera ?? x.name }))),
    software: `${m.software.name} ${m.software.version}`,
    // the recording's files; the protocol's own and the manifest's earlier revisions are the package's, not the recording's
    files: m.files.filter((x) => x.kind !== 'protocol' && x.kind !== 'manifest-revision')
      .map((x, i) => ({ n: i + 1, name: x.name, kind: fileKind(x, l), bytes: String(x.bytes), md5: x.md5, sha256: x.sha256, duration: clock(x.durationMs ?? 0) })),
    // the revision it was made from, kept under this name once the protocol's own revision is written
    manifestName: fileNames.manifestRevision(m.base, m.revision), manifestMd5, seal: sealWords(seal, l),
    complete: m.gaps.length === 0, completeness: PROTOCOL_TEXT[m.gaps.length === 0 ? 'complete' : 'incomplete'][l],
    gaps: m.gaps.map((g) => ({ from: wallOffset(m.startedAt, g.fromMs), to: wallOffset(m.startedAt, g.toMs), what: `${PROTOCOL_TEXT.gap[l]} (${g.device})${g.cause ? `: ${PROTOCOL_TEXT[g.cause][l]}` : ''}` })),
    ...healthLines(m, l, (ms) => wallOffset(m.startedAt, ms)),
    generatedAt: `${dotted(almatyDate(generatedAtMs))} ${almatyTime(generatedAtMs)}`,
  };
}

/** The Almaty clock time `ms` after the sitting's start (`startedAt` in the manifest's local form). */
export function wallOffset(startedAt: string, ms: number): string {
  const [d = '', t = ''] = startedAt.split(' ');
  const [y, mo, day] = d.split('-').map(Number);
  const [h, mi, s] = t.split(':').map(Number);
  const at = new Date(Date.UTC(y!, mo! - 1, day!, h!, mi!, s!) + ms);
  return at.toISOString().slice(11, 19);
}
