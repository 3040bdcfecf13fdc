import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest, type Manifest } from '../../shared/package-format.js';
import { AbkError, appError } from '../../shared/result.js';
import { protocolData } from '../protocol/protocol-data.js';
import { templateFor } from '../protocol/protocol.js';
import { renderDocx } from '../protocol/render-docx.js';
import { docxToPdf, locateSoffice, pdfError } from '../protocol/to-pdf.js';

/** A finished sitting recorded on the virtual courtroom (four microphones, marks, participants): what the preview is filled with. */
const SAMPLE = fileURLToPath(new URL('../../../assets/protocol/sample-manifest.json', import.meta.url));

/**
 * The short protocol of the sample sitting in `language`, made with the
 * court's template from `templateDir` (or the built-in one), as a PDF at
 * `pdf`. A template with an unknown placeholder, a broken loop or that is no
 * DOCX is refused naming it (render-docx.ts), as finalize would refuse it.
 */
export async function previewTemplate(templateDir: string | undefined, language: 'kk' | 'ru', pdf: string, scratch: string, sofficePath?: string): Promise<{ template: string }> {
  if (templateDir && !existsSync(join(templateDir, `${language}.docx`))) {
    throw new AbkError(appError('setup-template-missing', `There is no ${language}.docx in ${templateDir}: put the court's template there under that name, or leave the folder empty to use the built-in template.`,
      `В папке ${templateDir} нет ${language}.docx: положите туда шаблон суда под этим именем или не указывайте папку (будет встроенный шаблон).`,
      `${templateDir} қалтасында ${language}.docx жоқ: соттың үлгісін сол атпен салыңыз немесе қалтаны көрсетпеңіз (кірістірілген үлгі қолданылады).`));
  }
  const bytes = readFileSync(SAMPLE);
  const sample = parseManifest(bytes.toString('utf8'));
  const manifest = { ...sample, sitting: { ...sample.sitting, language } as Manifest['sitting'] };
  const data = protocolData(manifest, createHash('md5').update(bytes).digest('hex'), Date.now());
  const template = templateFor(language, templateDir);
  const docx = join(scratch, `preview-${language}.docx`);
  writeFileSync(docx, renderDocx(template, readFileSync(template), data));
  const soffice = locateSoffice(sofficePath);
  if (!soffice) throw pdfError('soffice is not on PATH');
  await docxToPdf(soffice, docx, pdf, join(scratch, 'libreoffice'));
  return { template };
}
