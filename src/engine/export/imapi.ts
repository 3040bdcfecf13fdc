import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { AbkError, appError } from '../../shared/result.js';
import { FolderReadBack } from './folder-writer.js';
import { imageBytes } from './iso-writer.js';
import type { MediumEntry } from './medium-files.js';
import type { MediumWriter, ReadBackFinding } from './writer.js';

/** The PowerShell script beside the app (native/windows), in the source and the build alike. */
export const IMAPI_SCRIPT = fileURLToPath(new URL('../../../native/windows/burn-imapi2.ps1', import.meta.url));

const lineSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('drive'), id: z.string(), path: z.string().nullable(), blank: z.boolean(), freeBytes: z.number() }),
  z.object({ type: z.literal('progress'), fraction: z.number().min(0).max(1) }),
  z.object({ type: z.literal('done'), path: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
type Line = z.infer<typeof lineSchema>;

export interface ImapiRun { powershell: string; script?: string }

/** The script run with its arguments; every line it prints checked against the protocol. */
function runScript(r: ImapiRun, args: string[], onLine: (l: Line) => void): Promise<void> {
  const argv = r.script && !r.script.endsWith('.ps1') ? [r.script, ...args] : ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', r.script ?? IMAPI_SCRIPT, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(r.powershell, argv, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let error: Extract<Line, { type: 'error' }> | undefined;
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => { stderr = (stderr + c.toString()).slice(-2000); });
    createInterface({ input: child.stdout }).on('line', (text) => {
      if (!text.trim()) return;
      let parsed: ReturnType<typeof lineSchema.safeParse>;
      try {
        parsed = lineSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = lineSchema.safeParse(undefined); // not JSON: told below as the script's protocol error, with the line
      }
      if (!parsed.success) { error = { type: 'error', code: 'protocol', message: `the burning script printed "${text.slice(0, 200)}"` }; return; }
      if (parsed.data.type === 'error') error = parsed.data;
      else onLine(parsed.data);
    });
    child.on('error', (e) => reject(failed(`${r.powershell} could not be started: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0 && !error) resolve();
      else reject(failed(error ? `${error.code}: ${error.message}` : `the burning script ended with code ${code}: ${stderr.trim() || 'no message'}`));
    });
  });
}

/** The optical drives IMAPI2 knows, with whether a blank disc is in each and its room. */
export async function imapiDrives(r: ImapiRun): Promise<{ id: string; path: string; blank: boolean; freeBytes: number }[]> {
  const out: { id: string; path: string; blank: boolean; freeBytes: number }[] = [];
  await runScript(r, ['-List'], (l) => { if (l.type === 'drive' && l.path) out.push({ id: l.id, path: l.path, blank: l.blank, freeBytes: l.freeBytes }); });
  return out;
}

/**
 * A disc burned on Windows: the files handed to the IMAPI2 script (a UDF
 * image, so files over 2 GiB go too), then every file read back from the
 * disc's drive letter and held to its hashes, as for a stick.
 */
export class ImapiDiscWriter implements MediumWriter {
  readonly kind = 'disc' as const;
  readonly maxFileBytes = 4 * 1024 ** 3 - 1;
  private readonly back: FolderReadBack;

  constructor(private readonly r: ImapiRun, readonly where: string, private readonly label: string) {
    this.back = new FolderReadBack(where.endsWith('\\') || where.endsWith('/') ? where : `${where}${process.platform === 'win32' ? '\\' : '/'}`);
  }

  async capacity(): Promise<number> {
    const d = (await imapiDrives(this.r)).find((x) => x.path.replace(/[\\/]$/, '').toLowerCase() === this.where.replace(/[\\/]$/, '').toLowerCase());
    if (!d) throw failed(`no optical drive ${this.where}`);
    if (!d.blank) throw failed(`the disc in ${this.where} is not blank`);
    return d.freeBytes;
  }

  needs(entries: MediumEntry[]): number {
    return imageBytes(entries);
  }

  async write(entries: MediumEntry[], onFraction: (f: number) => void): Promise<void> {
    const scratch = mkdtempSync(join(tmpdir(), 'abk-imapi-'));
    try {
      const plan = join(scratch, 'plan.json');
      writeFileSync(plan, JSON.stringify(entries.map((e) => ({ source: e.source, path: e.path }))));
      await runScript(this.r, ['-Burn', '-Drive', this.where, '-Plan', plan, '-Label', this.label], (l) => { if (l.type === 'progress') onFraction(l.fraction); });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    // the burned disc comes back as the drive's folder once Windows has mounted it
    for (let i = 0; i < 60 && !existsSync(this.back.root); i++) await new Promise((res) => setTimeout(res, 1000));
  }

  readBack(entries: MediumEntry[], onFraction: (f: number) => void): Promise<ReadBackFinding[]> {
    return this.back.check(entries, onFraction);
  }

  commit(): Promise<string> {
    return Promise.resolve(this.where);
  }

  discard(): Promise<void> {
    return Promise.resolve(); // a burned disc cannot be taken back: the message says not to hand it out
  }
}

function failed(detail: string): AbkError {
  return new AbkError(appError('export-imapi-failed',
    'Burning the disc failed (Windows IMAPI2). The recordings are untouched; check the drive and put a blank disc in, then write again.',
    'Запись диска не удалась (Windows IMAPI2). Записи не тронуты; проверьте привод, вставьте чистый диск и запишите снова.',
    'Дискіні жазу сәтсіз аяқталды (Windows IMAPI2). Жазбалар өзгермеді; жетекті тексеріп, таза дискі салыңыз да, қайта жазыңыз.', detail));
}
