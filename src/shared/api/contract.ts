import { z } from 'zod';
import { MARK_KINDS, SITTING_STATES, sittingFieldsSchema, type MarkKind, type SittingFields, type SittingState } from '../sitting.js';
import { SEAT_ROLE_IDS } from '../seats.js';
import type { AbkConfig } from '../config.js';
import type { AppError } from '../result.js';
import { SETUP_ROUTES, type SetupEvent, type SetupOutputs } from './setup-contract.js';

/**
 * The engine API: one typed route map, served by the engine over HTTP on
 * loopback (`POST /api/<route>` with a JSON body) and used by the UI, the CLI
 * and the tests alike. Inputs are zod schemas checked by the server; every
 * answer is a value, `{ ok: true, value } | { ok: false, error }`.
 */
const id = z.object({ id: z.number().int().positive() });
const none = z.object({}).strict();

/** A draft is what the secretary has typed so far: any part of the fields, checked only when the sitting is opened. */
const draftFields = z.record(z.string(), z.unknown());

export const markRequestSchema = z.object({
  sittingId: z.number().int().positive(),
  kind: z.enum(MARK_KINDS),
  seat: z.enum(SEAT_ROLE_IDS).optional(),
  participant: z.string().max(200).optional(),
  text: z.string().max(4000).optional(),
  /** When the key was pressed (ms since the epoch, this PC's clock): the mark is placed on the audio timeline at that instant. */
  pressedWallMs: z.number().optional(),
  /** The window's own name for this mark: echoed on the mark's event, and a second request with the same one returns the mark already saved (a retry after a lost answer saves no twin). */
  ref: z.string().min(1).max(64).optional(),
}).strict();

export const listQuerySchema = z.object({
  text: z.string().max(200).optional(),
  fromDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  toDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  courtroom: z.string().max(100).optional(),
  state: z.enum(SITTING_STATES).optional(),
}).strict();

export const ROUTES = {
  ...SETUP_ROUTES,
  'engine/info': none,
  'drafts/list': none,
  'drafts/save': z.object({ id: z.number().int().positive().optional(), fields: draftFields }).strict(),
  'drafts/delete': id.strict(),
  /** Open a sitting from complete fields (and drop the draft it came from). */
  'sittings/open': z.object({ draftId: z.number().int().positive().optional(), fields: sittingFieldsSchema }).strict(),
  'sittings/list': listQuerySchema,
  'sittings/get': id.strict(),
  /** Check a finished sitting's package against its sealed manifest now (every byte, as abk verify does); its progress comes as events. */
  'sittings/verify': id.strict(),
  'precheck/start': none,
  'precheck/stop': none,
  'precheck/status': none,
  /** The seats not used in the coming sitting: recorded, but not watched, and the protocol says so. */
  'precheck/unused': z.object({ stems: z.array(z.string().max(64)).max(64) }).strict(),
  /** The console's health line: disk hours left, servers and backlog, the guards' open findings. */
  'health/status': none,
  'recording/start': id.strict(),
  'recording/pause': id.strict(),
  'recording/resume': id.strict(),
  'recording/stop': id.strict(),
  'marks/add': markRequestSchema,
  'player/info': id.strict(),
  'alarms/acknowledge': z.object({ key: z.string().max(200) }).strict(),
  'settings/unlock': z.object({ password: z.string().min(1).max(200) }).strict(),
  'settings/get': none,
  'settings/save': z.object({ config: z.unknown() }).strict(),
  /** The drives, mounted sticks and ISO folder a copy can go to (IT staff). */
  'export/targets': none,
  /** What writing these sittings takes: their size, their largest file, which discs they fit. */
  'export/plan': z.object({ ids: z.array(z.number().int().positive()).min(1).max(50) }).strict(),
  /** Write them (IT staff, settings unlocked); progress and the end come as events. */
  'export/start': z.object({ ids: z.array(z.number().int().positive()).min(1).max(50), target: z.object({ kind: z.enum(['iso', 'disc', 'folder']), path: z.string().min(1).max(1000) }).strict(), listening: z.boolean().default(false) }).strict(),
  'replication/status': none,
  /** Try every pending copy now (and, with `reverify`, check every verified copy on the servers again). */
  'replication/run': z.object({ reverify: z.boolean().default(false) }).strict(),
} as const;

export type RouteName = keyof typeof ROUTES;
export type SetupRouteName = keyof typeof SETUP_ROUTES;
export type RouteInput<K extends RouteName> = z.input<(typeof ROUTES)[K]>;

export interface SeatChannel { stem: string; seat: string; label?: string; device: string; channel: number; key: string }
export interface EngineInfo {
  version: string;
  /** No configuration yet: the engine serves first-run setup only (the setup screen). */
  setup?: boolean;
  /** The configured interface language, until a user of this PC picks another. */
  language?: 'kk' | 'ru' | 'en';
  seats: SeatChannel[];
  cameras: { id: string; label?: string }[];
  servers: { id: string; host: string; port: number }[];
  active?: { sittingId: number; state: SittingState; startedWallMs?: number };
  precheck: boolean;
  settingsUnlocked: boolean;
  alarms: Extract<EngineEvent, { type: 'alarm' }>[];
}
export interface Draft { id: number; fields: Record<string, unknown>; updatedMs: number }
export interface MarkView {
  id: number; kind: MarkKind; timelineMs: number; wallMs: number; seat?: string; participant?: string; text?: string; correctsId?: number;
}
/** A file's copy on one server: verified, or still to go (with the last failure's reason). */
export interface CopyView { server: string; state: 'pending' | 'verified'; lastError?: string }
export interface FileView { name: string; bytes: number; md5: string; kind?: string; copies?: CopyView[] }
export interface ReplicaView { server: string; verified: number; total: number }
/**
 * Whether a finished sitting's package still is what was sealed: being checked
 * now, or the last check's result (by the read-back after finalize, or by a
 * Verify), with what it found.
 */
export type IntegrityView =
  | { state: 'checking'; fraction: number }
  | { state: 'verified' | 'changed'; atMs: number; by: 'read-back' | 'verify'; findings: IntegrityFinding[] };
/** One thing a check found: a file (`what` its status: changed, truncated, missing, added, renamed) or the sitting (`what` a problem's code: seal-invalid…). */
export interface IntegrityFinding { subject: string; what: string; detail?: string }
export interface SittingListItem {
  id: number; base: string; state: SittingState; caseNumber: string; courtroom: string; judge: string; createdMs: number;
  startedMs?: number; participants: string[]; replicas: ReplicaView[];
  /** Absent before the sitting is finished and checked. */
  integrity?: IntegrityView;
}
/** A copy issued on a medium, from the audit log. */
export interface IssuedCopyView { atMs: number; by: string; medium: string; where: string; contents: string; sittings: string[] }
export interface MediumChoice { kind: 'disc' | 'folder' | 'iso'; path: string; label: string; freeBytes?: number; fat?: boolean }
export interface ExportPlanView {
  caseNumber: string; bytes: number; largestBytes: number; files: number;
  sittings: { id: number; base: string; bytes: number }[];
  discs: { id: string; label: string; bytes: number; fits: boolean }[];
}
export interface ExportJobView { running: boolean; ids: number[]; stage?: string; fraction?: number; secondsLeft?: number }
export interface SittingDetail extends SittingListItem {
  fields: SittingFields; marks: MarkView[]; files: FileView[]; dir?: string;
  /** Every copy of it written to a disc or stick, oldest first. */
  issued: IssuedCopyView[];
  /** Recording may start: a ready sitting, or an interrupted one (continued). A sitting finished by Stop never records again. */
  canRecord: boolean;
  /** Recording it continues a sitting that was interrupted: the gap and its cause go into the protocol. */
  continues: boolean;
}
export interface PrecheckStatus {
  running: boolean;
  disk: { freeBytes: number; bytesPerHour: number; hoursLeft: number; level: 'ok' | 'low' | 'full' };
  servers: { id: string; host: string; port: number; reachable: boolean; detail: string }[];
  cameras: { id: string; label?: string; ok: boolean; detail?: string }[];
  /** Each microphone's verdict so far: heard above its noise floor, not yet, or marked unused. */
  microphones?: { stem: string; result: 'pass' | 'fail' | 'unused' }[];
}
export interface HealthStatus {
  recording: boolean;
  disk: PrecheckStatus['disk'];
  /** Hours of recordings not yet verified on each server (the largest is the backlog). */
  servers: { id: string; state: string; backlogHours: number }[];
  backlogHours: number;
  /** The capture process's CPU use, % of one core. */
  captureCpuPercent?: number;
  /** The guards' findings open now. */
  findings: { source: string; subject: string; code: string }[];
}
export interface PlayerTrack { index: number; stem: string; seat: string; label: string }
export interface PlayerInfo {
  sittingId: number; base: string; durationMs: number; tracks: PlayerTrack[]; marks: MarkView[];
  listen: { state: 'ready' | 'making' | 'failed'; url?: string; progress?: number; error?: AppError };
  peaks: { url: string; perSecond: number } | undefined;
  video: { url: string; audioStartMs: number } | undefined;
}

export type ServerState = 'idle' | 'connecting' | 'sending' | 'verifying' | 'checking' | 'waiting' | 'blocked' | 'off';
export interface ServerStatus {
  id: string; host: string; port: number; state: ServerState;
  pending: number; verified: number; pendingBytes: number;
  lastError?: AppError; retryAtMs?: number;
  current?: { relDir: string; file: string; bytes: number; from: number; sent: number };
}
export interface ReplicationStatus { servers: ServerStatus[]; capKiBps?: number; recording: boolean }

export interface RouteOutputs extends SetupOutputs {
  'engine/info': EngineInfo;
  'drafts/list': Draft[];
  'drafts/save': Draft;
  'drafts/delete': { deleted: boolean };
  'sittings/open': SittingDetail;
  'sittings/list': SittingListItem[];
  'sittings/get': SittingDetail;
  'sittings/verify': IntegrityView;
  'precheck/start': PrecheckStatus;
  'precheck/stop': { stopped: boolean };
  'precheck/status': PrecheckStatus;
  'precheck/unused': PrecheckStatus;
  'health/status': HealthStatus;
  'recording/start': SittingDetail;
  'recording/pause': SittingDetail;
  'recording/resume': SittingDetail;
  'recording/stop': SittingDetail;
  'marks/add': MarkView;
  'player/info': PlayerInfo;
  'alarms/acknowledge': { acknowledged: boolean };
  'settings/unlock': { unlocked: true };
  'settings/get': { config: AbkConfig; path: string };
  'settings/save': { config: AbkConfig; path: string };
  'export/targets': MediumChoice[];
  'export/plan': ExportPlanView;
  'export/start': ExportJobView;
  'replication/status': ReplicationStatus;
  'replication/run': ReplicationStatus;
}
export type RouteOutput<K extends RouteName> = RouteOutputs[K];
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Pushed over the WebSocket `/api/events`. */
export type EngineEvent =
  | SetupEvent
  | { type: 'levels'; device: string; positionMs: number; tracks: { stem: string; peakDb: number; rmsDb: number }[] }
  | { type: 'state'; sittingId: number; state: SittingState }
  | { type: 'mark'; sittingId: number; mark: MarkView; ref?: string }
  | { type: 'alarm'; key: string; source: string; subject: string; error: AppError; wallMs: number }
  | { type: 'alarm-cleared'; key: string }
  | { type: 'progress'; sittingId: number; task: 'finalize' | 'listening-copy' | 'verify' | 'export'; stage: string; fraction: number; secondsLeft?: number }
  | { type: 'exported'; sittingIds: number[]; ok: boolean; where?: string; error?: AppError }
  | { type: 'finalized'; sittingId: number; ok: boolean; error?: AppError }
  | { type: 'replicas'; base: string; replicas: ReplicaView[] }
  | { type: 'server'; server: ServerStatus };

/** The token travels in this header (CLI, tests) or, for the browser, in this cookie set at sign-in. */
export const TOKEN_HEADER = 'authorization';
export const SESSION_COOKIE = 'abk_session';
