import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The text of a PDF as poppler's pdftotext extracts it. */
export const pdfText = (pdf: string): string => execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });

/** Each font of a PDF and whether it is embedded (pdffonts). */
export function pdfFonts(pdf: string): { name: string; embedded: boolean }[] {
  return execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean)
    .map((l) => { const cols = l.trim().split(/\s+/); return { name: cols[0]!, embedded: cols.at(-5) === 'yes' }; });
}

/** The text of a DOCX as LibreOffice reads it (converted to plain text by soffice). */
export function docxText(docx: string, scratch: string): string {
  const out = join(scratch, 'docx-text');
  mkdirSync(out, { recursive: true });
  execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(scratch, 'lo-profile')).href}`, '--headless', '--norestore',
    '--convert-to', 'txt:Text (encoded):UTF8', '--outdir', out, docx], { stdio: 'ignore', timeout: 120_000 });
  return readFileSync(join(out, basename(docx).replace(/\.docx$/, '.txt')), 'utf8');
}

/** The first page rendered to PNG (pdftoppm), for a person to look at; returns its path. */
export function firstPagePng(pdf: string, outPrefix: string): string {
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, outPrefix]);
  return `${outPrefix}.png`;
}
