import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import rule of ARCHITECTURE.md §7 is enforced by lint: these must fail. */
const eslint = new ESLint();
const errors = async (file: string, code: string): Promise<string[]> =>
  (await eslint.lintText(code, { filePath: file }))[0]!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);

describe('layering', () => {
  it.each([
    ['src/shared/x.ts', "import { EventsLog } from '../engine/recorder/events-log.js'; export const x = EventsLog;", 'may not import src/engine'],
    ['src/engine/x.ts', "import naudiodon from 'naudiodon'; export const x = naudiodon;", 'only src/capture may use naudiodon'],
    ['src/capture/x.ts', "import Database from 'better-sqlite3'; export const x = Database;", 'only src/engine may use better-sqlite3'],
    ['src/ui/x.ts', "import { readFileSync } from 'node:fs'; export const x = readFileSync;", 'the UI never reaches Node'],
    ['src/ui/screens/X.tsx', "import { readFileSync } from 'node:fs'; export const x = readFileSync;", 'the UI never reaches Node'],
    ['src/ui/screens/X.tsx', "import { EngineService } from '../../engine/api/engine-service.js'; export const x = EngineService;", 'may not import src/engine'],
    ['src/capture/audio/x.ts', "import { SittingRecorder } from '../../engine/recorder/sitting-recorder.js'; export const x = SittingRecorder;", 'may not import src/engine'],
  ])('%s: %s', async (file, code, message) => {
    expect((await errors(file, code)).join('\n')).toContain(message);
  });

  it('lets the engine use capture, and capture use shared', async () => {
    expect(await errors('src/engine/x.ts', "import { AudioCapture } from '../capture/audio/audio-capture.js'; export const x = AudioCapture;")).toEqual([]);
    expect(await errors('src/capture/x.ts', "import { caseSlug } from '../shared/naming.js'; export const x = caseSlug;")).toEqual([]);
  });
});
