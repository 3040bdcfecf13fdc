import { z } from 'zod';
import { parseConfig, type AbkConfig } from './config.js';
import { formatIssues } from './validation.js';
import { appError, type AppError } from './result.js';
import { SEAT_ROLE_IDS, SEAT_ROLES } from './seats.js';

/**
 * The answers of first-run setup: what the IT engineer chose on the setup
 * screen, or wrote in an answer file for `abk init`. Both turn into the
 * configuration through `configFromAnswers` alone, so the same answers make
 * the same file, byte for byte. An exported configuration is an answer file
 * too (`answersFromConfig`): one courtroom's set-up is the next one's
 * template, where only the devices differ.
 */
export const UI_LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof UI_LANGUAGES)[number];

const channelAnswer = z.object({
  channel: z.number().int().min(1).max(64),
  /** The seat in front of this channel, or `unused` (nothing is recorded from it). */
  seat: z.union([z.enum(SEAT_ROLE_IDS), z.literal('unused')]),
  label: z.string().max(80).optional(),
}).strict();

export const setupAnswersSchema = z.object({
  language: z.enum(UI_LANGUAGES),
  recordingsRoot: z.string().min(1),
  bitDepth: z.union([z.literal(16), z.literal(24)]).default(24),
  sampleRate: z.number().int().min(16000).max(48000).default(48000),
  audioDevices: z.array(z.object({
    name: z.string().min(1),
    hostApi: z.string().optional(),
    channelCount: z.number().int().min(1).max(64),
    channels: z.array(channelAnswer),
  }).strict()).min(1),
  /** The cameras as the configuration holds them (an RTSP address may carry its password). */
  cameras: z.array(z.record(z.string(), z.unknown())).default([]),
  servers: z.array(z.record(z.string(), z.unknown())).default([]),
  privateKeyPath: z.string().min(1).optional(),
  templateDir: z.string().min(1).optional(),
  /** The IT password's scrypt hash (the setup screen and `abk init` hash what is typed; an answer file carries the hash only). */
  passwordHash: z.string().regex(/^scrypt\$[0-9a-f]+\$[0-9a-f]+$/, 'an scrypt hash made by the setup screen, "abk init" or "abk password"'),
}).strict();

export type SetupAnswers = z.infer<typeof setupAnswersSchema>;
export type SetupAnswersInput = z.input<typeof setupAnswersSchema>;

const seatName = (seat: string, lang: 'en' | 'ru' | 'kk'): string => SEAT_ROLES[seat as keyof typeof SEAT_ROLES]?.[lang] ?? seat;

/** Two seats on one channel, one seat (its role and label) on two channels, or no seat at all: said in each language, naming them. */
export function seatMapProblem(devices: SetupAnswers['audioDevices']): AppError | undefined {
  const seats = new Map<string, string>();
  let used = 0;
  for (const d of devices) {
    const channels = new Set<number>();
    for (const c of d.channels) {
      if (c.channel > d.channelCount) {
        return appError('setup-channel-range', `"${d.name}" has ${d.channelCount} channels: there is no channel ${c.channel}.`,
          `У «${d.name}» ${d.channelCount} каналов: канала ${c.channel} нет.`, `«${d.name}» құрылғысында ${d.channelCount} арна бар: ${c.channel}-арна жоқ.`);
      }
      if (channels.has(c.channel)) {
        return appError('setup-channel-twice', `Channel ${c.channel} of "${d.name}" is given two seats: give each channel one seat (or mark it unused).`,
          `Каналу ${c.channel} устройства «${d.name}» назначены два места: у канала может быть одно место (или «не используется»).`,
          `«${d.name}» құрылғысының ${c.channel}-арнасына екі орын берілген: әр арнаға бір орын беріңіз (немесе «пайдаланылмайды» деп белгілеңіз).`);
      }
      channels.add(c.channel);
      if (c.seat === 'unused') continue;
      used++;
      const key = `${c.seat}\u0000${(c.label ?? '').trim().toLowerCase()}`;
      const where = `"${d.name}" channel ${c.channel}`;
      const before = seats.get(key);
      if (before) {
        const label = c.label ? ` (${c.label})` : '';
        return appError('setup-seat-twice', `The seat "${seatName(c.seat, 'en')}${label}" is on two channels, ${before} and ${where}: one seat is one microphone; give the second a different label or seat.`,
          `Место «${seatName(c.seat, 'ru')}${label}» назначено двум каналам (${before} и ${where}): у места один микрофон; дайте второму другую подпись или место.`,
          `«${seatName(c.seat, 'kk')}${label}» орны екі арнаға берілген (${before} және ${where}): бір орынға бір микрофон; екіншісіне басқа белгі не орын беріңіз.`);
      }
      seats.set(key, where);
    }
  }
  if (used === 0) {
    return appError('setup-no-seats', 'No channel has a seat: give at least one microphone its seat.',
      'Ни одному каналу не назначено место: назначьте место хотя бы одному микрофону.', 'Бірде-бір арнаға орын берілмеген: кемінде бір микрофонға орын беріңіз.');
  }
  return undefined;
}

/**
 * The configuration file's text for these answers, checked by the
 * configuration's own schema, or why not (nothing is written then). Keys
 * come in one fixed order, so equal answers give equal bytes.
 */
export function configFromAnswers(input: unknown): { ok: true; text: string; config: AbkConfig; answers: SetupAnswers } | { ok: false; error: AppError } {
  const parsed = setupAnswersSchema.safeParse(input);
  if (!parsed.success) {
    const detail = formatIssues(parsed.error, '; ', 'answers');
    return { ok: false, error: appError('setup-bad-answers', `The setup answers are not complete or not valid: ${detail}`,
      `Ответы настройки неполны или неверны: ${detail}`, `Баптау жауаптары толық емес не қате: ${detail}`, detail) };
  }
  const a = parsed.data;
  const seats = seatMapProblem(a.audioDevices);
  if (seats) return { ok: false, error: seats };
  const raw = {
    language: a.language,
    recordingsRoot: a.recordingsRoot,
    audio: {
      sampleRate: a.sampleRate,
      bitDepth: a.bitDepth,
      devices: a.audioDevices.map((d) => ({
        name: d.name,
        ...(d.hostApi ? { hostApi: d.hostApi } : {}),
        channelCount: d.channelCount,
        channels: d.channels.filter((c) => c.seat !== 'unused').sort((x, y) => x.channel - y.channel)
          .map((c) => ({ channel: c.channel, seat: c.seat, ...(c.label ? { label: c.label } : {}) })),
      })),
    },
    video: { cameras: a.cameras.map(canonical) },
    ...(a.templateDir ? { protocol: { templateDir: a.templateDir } } : {}),
    replication: { servers: a.servers.map(canonical), ...(a.privateKeyPath ? { privateKeyPath: a.privateKeyPath } : {}) },
    admin: { passwordHash: a.passwordHash },
  };
  const checked = parseConfig(raw);
  if (!checked.ok) {
    return { ok: false, error: appError('setup-bad-answers', `The configuration made from the answers is not valid: ${checked.error}`,
      `Конфигурация из ответов неверна: ${checked.error}`, `Жауаптардан жасалған баптау қате: ${checked.error}`, checked.error) };
  }
  return { ok: true, text: `${JSON.stringify(raw, null, 2)}\n`, config: checked.value, answers: a };
}

/** A configuration as answers: what export writes and import reads (unused channels are listed, so the next courtroom sees every channel). */
export function answersFromConfig(c: AbkConfig): SetupAnswersInput {
  return {
    language: c.language ?? 'kk',
    recordingsRoot: c.recordingsRoot,
    bitDepth: c.audio.bitDepth,
    sampleRate: c.audio.sampleRate,
    audioDevices: c.audio.devices.map((d) => {
      const count = d.channelCount ?? Math.max(...d.channels.map((x) => x.channel));
      return {
        name: d.name, ...(d.hostApi ? { hostApi: d.hostApi } : {}), channelCount: count,
        channels: Array.from({ length: count }, (_, i) => {
          const m = d.channels.find((x) => x.channel === i + 1);
          return m ? { channel: i + 1, seat: m.seat, ...(m.label ? { label: m.label } : {}) } : { channel: i + 1, seat: 'unused' as const };
        }),
      };
    }),
    cameras: c.video.cameras as unknown as Record<string, unknown>[],
    servers: c.replication.servers as unknown as Record<string, unknown>[],
    ...(c.replication.privateKeyPath ? { privateKeyPath: c.replication.privateKeyPath } : {}),
    ...(c.protocol.templateDir ? { templateDir: c.protocol.templateDir } : {}),
    passwordHash: c.admin.passwordHash ?? '',
  };
}

/** Answers as a file holds them: the IT password may be missing (the screen asks for it), nothing else may. */
const importedAnswersSchema = setupAnswersSchema.partial({ passwordHash: true });
export type ImportedAnswers = z.input<typeof importedAnswersSchema>;

/**
 * An imported file's answers: exported answers, or another courtroom's
 * configuration file (its devices, seats, cameras, servers and templates;
 * its password hash too). Anything else is refused, naming what is wrong,
 * so nothing half-read replaces what is on the screen.
 */
export function answersFromFile(text: string): { ok: true; answers: ImportedAnswers } | { ok: false; error: AppError } {
  const bad = (detail: string): { ok: false; error: AppError } => ({ ok: false, error: appError('setup-import-bad',
    `This file is neither setup answers nor an ABK ABT configuration: ${detail}. Choose a file exported by the setup screen or "abk init --export", or an abk.config.json.`,
    `Этот файл не является ни ответами настройки, ни конфигурацией ABK ABT: ${detail}. Выберите файл, выгруженный экраном настройки или «abk init --export», либо abk.config.json.`,
    `Бұл файл баптау жауаптары да, ABK ABT баптауы да емес: ${detail}. Баптау экраны не «abk init --export» сақтаған файлды немесе abk.config.json таңдаңыз.`, detail) });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return bad(`not JSON (${(e as Error).message})`);
  }
  const answers = importedAnswersSchema.safeParse(raw);
  if (answers.success) return { ok: true, answers: answers.data };
  if (raw !== null && typeof raw === 'object' && 'audio' in raw) {
    const config = parseConfig(raw);
    if (!config.ok) return bad(config.error);
    const { passwordHash, ...rest } = answersFromConfig(config.value);
    // the cameras and servers as the file has them, not with the schema's defaults filled in: the same file again, byte for byte
    const file = raw as { video?: { cameras?: Record<string, unknown>[] }; replication?: { servers?: Record<string, unknown>[] } };
    const imported = { ...rest, cameras: file.video?.cameras ?? [], servers: file.replication?.servers ?? [] };
    return { ok: true, answers: passwordHash ? { ...imported, passwordHash } : imported };
  }
  return bad(formatIssues(answers.error, '; ', 'answers'));
}

/** The same object with its keys in sorted order at every level, so how the answers were typed does not change the file. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}
