import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashPassword } from '../../src/engine/api/auth.js';
import { EngineService } from '../../src/engine/api/engine-service.js';
import { startApiServer, type ApiServer } from '../../src/engine/api/http-server.js';
import type { AbkConfig } from '../../src/shared/config.js';
import type { SittingFieldsInput } from '../../src/shared/sitting.js';
import type { TestCourtroom } from './courtroom.js';

export const UI_DIR = join(import.meta.dirname, '..', '..', 'dist', 'ui');
export const SETTINGS_PASSWORD = 'Сот-залы-305';

/** The real engine and its API server over a test courtroom's configuration (written to a file the settings may rewrite). */
export async function startEngine(court: TestCourtroom, config: AbkConfig): Promise<{ service: EngineService; server: ApiServer; configPath: string; close(): Promise<void> }> {
  const configPath = join(court.dir, 'abk.config.json');
  const withPassword = { ...config, admin: { passwordHash: hashPassword(SETTINGS_PASSWORD) } };
  writeFileSync(configPath, JSON.stringify(withPassword, null, 2));
  const service = await new EngineService({ config: withPassword, configPath, captureEnv: court.room.captureEnv, version: 'test' }).startBackground();
  const server = await startApiServer(service, { uiDir: UI_DIR });
  return { service, server, configPath, close: async () => { await server.close(); await service.close(); } };
}

/** A POST to the API as a program would send it (the token in the header). */
export async function post(server: ApiServer, route: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: { en: string; ru: string; kk: string } } } }> {
  const res = await fetch(`${server.url}api/${route}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() as never };
}

export const KAZAKH_FIELDS = {
  caseNumber: '7599-24-00-2/1234', court: 'Астана қаласының мамандандырылған ауданаралық экономикалық соты', city: 'Астана', courtroom: '305',
  language: 'kk', presidingJudge: 'Әбілқасымова Гүлнұр Серікқызы', secretary: 'Нұрланұлы Ерғали',
  participants: [{ name: 'Қасымов Ғалым Һадиұлы', role: 'prosecutor' }, { name: 'Сәрсенбаева Іңкәр', role: 'defendant' }],
} satisfies SittingFieldsInput;
