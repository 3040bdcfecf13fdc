import type { SittingFields } from '../../shared/sitting.js';
import { almatyDate, almatyOffset, almatyTime, ALMATY_TZ } from '../../shared/timeline.js';
import type { SittingSummary } from '../recorder/recorder-types.js';
import type { Mark } from '../sittings/sitting-store.js';
import { FORMAT_VERSION, MANIFEST_FORMAT, type AuditHead } from '../../shared/package-format.js';
import { softwareVersion } from '../version.js';
import type { Manifest, ManifestFile, ManifestMark } from './manifest.js';
import { closedPauses, mediaFrames, onCardClock, toMedia } from './media-timeline.js';

/** What the manifest carries of the appliance's records: the audit log's head, the sitting's chain and what its check found. */
export interface Trail { audit: AuditHead | null; chain: Manifest['chain']; findings?: { name: string; status: string }[] }

const local = (ms: number): string => `${almatyDate(ms)} ${almatyTime(ms)}`;

/**
 * The manifest's first revision: every media file with its size and
 * checksums, the sitting's details, and the marks placed in each file (on the
 * sound card's clock). `trail`: the audit log's head and the sitting's chain
 * now (both null without a database).
 */
export function buildManifest(s: SittingSummary, files: ManifestFile[], fields: SittingFields | undefined, marks: Mark[], trail: Trail, nowMs = Date.now()): Manifest {
  const pauses = closedPauses(s);
  const ms = (samples: number): number => Math.round((samples * 1000) / s.sampleRate);
  const avShift = files.find((f) => f.kind === 'audio-video')?.audioStartMs ?? 0;
  const cardSample = onCardClock(s);
  const placed: ManifestMark[] = marks.map((m) => {
    const at = cardSample(m.atSample);
    return {
      id: m.id, kind: m.kind,
      ...(m.seat ? { seat: m.seat } : {}), ...(m.participant ? { participant: m.participant } : {}), ...(m.text ? { text: m.text } : {}),
      ...(m.correctsId ? { corrects: m.correctsId } : {}),
      timelineMs: ms(at), mediaMs: ms(toMedia(pauses, at)), avMs: ms(toMedia(pauses, at)) + avShift,
      wallTime: local(m.wallMs),
    };
  });
  return {
    format: MANIFEST_FORMAT, formatVersion: FORMAT_VERSION, revision: 1, previous: null, writtenAt: local(nowMs), reason: 'finalize', base: s.base, caseNumber: s.caseNumber, sitting: fields ?? null,
    timeZone: ALMATY_TZ, utcOffset: almatyOffset(s.zeroWallMs), startedAt: local(s.zeroWallMs), endedAt: local(s.stoppedWallMs),
    sampleRate: s.sampleRate, bitDepth: s.bitDepth, mediaDurationMs: ms(mediaFrames(s)),
    files, marks: placed,
    pauses: pauses.map((p) => ({ fromMs: ms(p.fromSample), toMs: ms(p.toSample) })),
    gaps: s.gaps.map((g) => ({ device: g.device, fromMs: ms(g.fromSample), toMs: ms(g.toSample), ...(g.cause ? { cause: g.cause } : {}) })),
    problems: [...s.problems.map((p) => ({ at: local(p.wallMs), source: p.source, subject: p.subject, code: p.code })),
      ...(trail.findings ?? []).map((f) => ({ at: local(nowMs), source: 'chain', subject: f.name, code: `chain-${f.status}` }))],
    software: { name: 'ABK ABT', version: softwareVersion() },
    audit: trail.audit, chain: trail.chain,
    ...(s.health ? { health: { findings: s.health.findings, unwatched: s.health.unwatched, selfTest: s.health.selfTest } } : {}),
  };
}
