import { z } from 'zod';
import { SEAT_ROLE_IDS } from './seats.js';

/**
 * A sitting (судебное заседание / сот отырысы) as the secretary opens it, and
 * its life: draft → ready → recording ⇄ paused → finalizing → finalized, or
 * interrupted (the PC or the app stopped) and later finalized from what is on disk.
 */
export const SITTING_STATES = ['draft', 'ready', 'recording', 'paused', 'finalizing', 'finalized', 'interrupted'] as const;
export type SittingState = (typeof SITTING_STATES)[number];

export const TRANSITIONS: Record<SittingState, readonly SittingState[]> = {
  draft: ['ready'],
  ready: ['draft', 'recording'],
  recording: ['paused', 'finalizing', 'interrupted'],
  paused: ['recording', 'finalizing', 'interrupted'],
  finalizing: ['finalized', 'interrupted'],
  // an interrupted sitting is finalized from what is on disk, or continued in a new take
  interrupted: ['finalizing', 'recording'],
  // finalizing again is allowed and changes nothing that is already right; recording
  // again only continues a sitting that was interrupted (SittingStore.assertCanRecord)
  finalized: ['finalizing', 'recording'],
};

/** Why a recording stopped without Stop: told to the secretary and stated with the gap in the protocol. */
export const INTERRUPTION_CAUSES = ['program-stopped', 'power-lost'] as const;
export type InterruptionCause = (typeof INTERRUPTION_CAUSES)[number];
/** Why sound is missing on the timeline: an interruption the sitting was continued after, or a recorded segment removed before finalize (its chain entry names it). */
export const GAP_CAUSES = [...INTERRUPTION_CAUSES, 'segment-removed'] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

export const participantSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(SEAT_ROLE_IDS),
  /** The microphone seat the participant speaks at, when it differs from the role's. */
  seat: z.enum(SEAT_ROLE_IDS).optional(),
  attendance: z.enum(['present', 'absent', 'remote']).default('present'),
});

export const sittingFieldsSchema = z.object({
  caseNumber: z.string().trim().min(1, 'enter the case number').max(300),
  caseCategory: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  court: z.string().trim().min(1).max(300),
  city: z.string().trim().min(1).max(100),
  courtroom: z.string().trim().min(1).max(100),
  language: z.enum(['kk', 'ru']),
  presidingJudge: z.string().trim().min(1).max(200),
  judges: z.array(z.string().trim().min(1).max(200)).default([]),
  secretary: z.string().trim().min(1).max(200),
  interpreter: z.string().max(200).optional(),
  participants: z.array(participantSchema).default([]),
  evidence: z.array(z.object({ title: z.string().trim().min(1).max(500), presentedBy: z.string().max(200).optional() })).default([]),
});
export type SittingFields = z.infer<typeof sittingFieldsSchema>;
export type SittingFieldsInput = z.input<typeof sittingFieldsSchema>;

/** What the secretary marks on the timeline. */
export const MARK_KINDS = ['floor', 'break', 'resume', 'deliberation', 'return', 'decision', 'evidence', 'note'] as const;
export type MarkKind = (typeof MARK_KINDS)[number];

export const markInputSchema = z.object({
  kind: z.enum(MARK_KINDS),
  /** Position on the sitting's timeline, in samples of the master clock. */
  atSample: z.number().int().min(0),
  wallMs: z.number().int().positive(),
  seat: z.enum(SEAT_ROLE_IDS).optional(),
  participant: z.string().max(200).optional(),
  text: z.string().max(4000).optional(),
});
export type MarkInput = z.input<typeof markInputSchema>;
