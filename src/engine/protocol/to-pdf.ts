import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AbkError, appError } from '../../shared/result.js';

/** LibreOffice's `soffice`: the configured path, else PATH, else the usual install folders. */
export function locateSoffice(configured?: string): string | undefined {
  if (configured) return existsSync(configured) ? configured : undefined;
  const names = process.platform === 'win32' ? ['soffice.exe'] : ['soffice', 'libreoffice'];
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/lib/libreoffice/program', '/opt/libreoffice/program',
    'C:\\Program Files\\LibreOffice\\program', '/Applications/LibreOffice.app/Contents/MacOS'];
  for (const d of dirs) for (const n of names) if (d && existsSync(join(d, n))) return join(d, n);
  return undefined;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * DOCX → PDF/A-2b with LibreOffice, fonts embedded. One conversion at a time
 * (LibreOffice's profile is single-user), with its own profile folder under
 * `profileDir`, and a time limit so a hung office process cannot hold finalize.
 */
export function docxToPdf(soffice: string, docx: string, pdf: string, profileDir: string, timeoutMs = 120_000): Promise<void> {
  const run = queue.then(() => convert(soffice, docx, pdf, profileDir, timeoutMs));
  queue = run.catch(() => undefined);
  return run;
}

function convert(soffice: string, docx: string, pdf: string, profileDir: string, timeoutMs: number): Promise<void> {
  const out = join(profileDir, 'out');
  mkdirSync(out, { recursive: true });
  const args = [
    `-env:UserInstallation=${pathToFileURL(join(profileDir, 'profile')).href}`,
    '--headless', '--norestore', '--nolockcheck', '--nodefault', '--nologo',
    '--convert-to', 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},"EmbedStandardFonts":{"type":"boolean","value":"true"}}',
    '--outdir', out, docx,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(soffice, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    child.stdout.on('data', (b: Buffer) => { said += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { said += b.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(pdfError(`${soffice}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const made = join(out, basename(docx).replace(/\.docx$/i, '.pdf'));
      if (code === 0 && existsSync(made)) {
        renameSync(made, pdf);
        resolve();
      } else {
        reject(pdfError(`${soffice} ended with ${signal ?? code}: ${said.trim().slice(-500)}`));
      }
    });
  });
}

export function pdfError(detail: string): AbkError {
  return new AbkError(appError('protocol-pdf-failed',
    'The protocol PDF could not be made (LibreOffice is missing or failed). The DOCX protocol and every recording file are in place; install LibreOffice (or set protocol.sofficePath) and run "abk protocol" for the sitting.',
    'Не удалось сформировать PDF протокола (LibreOffice не установлен или завершился с ошибкой). Протокол DOCX и все файлы записи на месте; установите LibreOffice (или укажите protocol.sofficePath) и выполните «abk protocol» для заседания.',
    'Хаттаманың PDF нұсқасы жасалмады (LibreOffice орнатылмаған немесе қатемен аяқталды). DOCX хаттамасы мен жазбаның барлық файлдары орнында; LibreOffice орнатыңыз (немесе protocol.sofficePath көрсетіңіз) және отырыс үшін «abk protocol» орындаңыз.',
    detail));
}
