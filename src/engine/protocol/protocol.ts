import { chmodSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StreamHasher } from '../../capture/audio/stream-hasher.js';
import { fileNames } from '../../shared/naming.js';
import type { ProtocolLanguage } from '../../shared/protocol-labels.js';
import { digestOf, readManifestBytes, writeNextRevision } from '../package/revision.js';
import type { AuditHead } from '../../shared/package-format.js';
import { fingerprint, sealNames, type SealIdentity } from '../package/seal.js';
import { writeFileDurable } from '../recorder/sitting-folder.js';
import { protocolData, type SealState } from './protocol-data.js';
import { toXml } from './protocol-xml.js';
import { renderDocx } from './render-docx.js';
import { docxToPdf, locateSoffice, pdfError } from './to-pdf.js';

export interface ProtocolOptions {
  /** The sitting's final folder and its manifest's name. */
  dir: string;
  manifestName: string;
  /** The court's own templates (`kk.docx`, `ru.docx`); else the built-in ones. */
  templateDir?: string | undefined;
  sofficePath?: string | undefined;
  /** Where LibreOffice keeps its profile. */
  scratchDir: string;
  nowMs?: number;
  /** The appliance's identity: the new manifest revision is sealed with it. */
  seal?: SealIdentity | undefined;
  /** The audit log's head now: the new revision carries it (none: written with no audit log). */
  audit?: AuditHead | null;
}

export interface ProtocolFile { name: string; bytes: number; md5: string; sha256: string }
export interface ProtocolResult {
  template: string; files: ProtocolFile[]; pdf: { ok: true } | { ok: false; error: Error }; ms: { docx: number; pdf: number };
  /** A TSA is configured but the new revision's seal got no timestamp: why. */
  stampError?: string;
}

type Ext = 'docx' | 'pdf' | 'json' | 'xml';
const EXTS: Ext[] = ['docx', 'pdf', 'json', 'xml'];

const BUILT_IN = fileURLToPath(new URL('../../../assets/protocol/', import.meta.url));

/** The template for a language: the court's own when its folder has one, else the built-in one. */
export function templateFor(language: ProtocolLanguage, templateDir?: string): string {
  const own = templateDir ? join(templateDir, `${language}.docx`) : undefined;
  return own && existsSync(own) ? own : join(BUILT_IN, `${language}.docx`);
}

/**
 * The seal of the revision the protocol is made from, as the folder has it:
 * the signer's fingerprint from the certificate kept beside it, and whether
 * the TSA gave its timestamp (the protocol says so when it did not).
 */
async function sealStateOf(dir: string, base: string, seal: SealIdentity | undefined): Promise<SealState> {
  if (!existsSync(join(dir, sealNames.signature(base)))) return { sealed: false };
  const signer = join(dir, sealNames.signer(base));
  const cert = existsSync(signer) ? signer : seal?.certPath;
  const fp = cert ? await fingerprint(cert, seal?.openssl) : '—';
  const stamp = existsSync(join(dir, sealNames.timestamp(base))) ? 'stamped' : seal?.tsa ? 'missing' : 'none';
  return { sealed: true, fingerprint: fp, stamp };
}

/**
 * The short protocol of a finalized sitting, in its language of proceedings:
 * DOCX from the template, PDF/A from the DOCX, and JSON and XML for the court's
 * information system; each read-only, and MD5SUMS brought up to date. A bad
 * template throws before anything is written; a missing LibreOffice leaves the
 * other three and reports it. Running it again replaces the protocol only.
 */
export async function generateProtocol(o: ProtocolOptions): Promise<ProtocolResult> {
  const { bytes: manifestBytes, manifest } = readManifestBytes(o.dir, o.manifestName);
  const manifestMd5 = digestOf(manifestBytes).md5;
  const data = protocolData(manifest, manifestMd5, o.nowMs ?? Date.now(), await sealStateOf(o.dir, manifest.base, o.seal));
  const template = templateFor(data.language, o.templateDir);
  const t0 = performance.now();
  const docx = renderDocx(template, readFileSync(template), data);
  const docxMs = performance.now() - t0;

  const name = (ext: Ext): string => fileNames.protocol(manifest.base, ext);
  const temp = (ext: Ext): string => join(o.dir, `.${manifest.base}_protocol.tmp.${ext}`);
  const machine = { format: 'abk-abt-protocol', version: 1, manifest: { name: o.manifestName, md5: manifestMd5 }, protocol: data };
  const made = new Map<Ext, Buffer>([
    ['docx', docx],
    ['json', Buffer.from(`${JSON.stringify(machine, null, 2)}\n`)],
    ['xml', Buffer.from(toXml('protocol', machine))],
  ]);
  for (const [ext, bytes] of made) {
    rmSync(temp(ext), { force: true }); // left read-only by a run that was killed before its rename
    writeFileDurable(temp(ext), bytes);
  }

  const t1 = performance.now();
  let pdf: ProtocolResult['pdf'] = { ok: true };
  const soffice = locateSoffice(o.sofficePath);
  try {
    if (!soffice) throw pdfError(o.sofficePath ? `${o.sofficePath} does not exist` : 'soffice is not on PATH');
    await docxToPdf(soffice, temp('docx'), temp('pdf'), join(o.scratchDir, 'libreoffice'));
    made.set('pdf', readFileSync(temp('pdf')));
  } catch (e) {
    pdf = { ok: false, error: e as Error };
    rmSync(temp('pdf'), { force: true });
  }
  const pdfMs = performance.now() - t1;

  // checksums of the bytes in hand: nothing is read back for them
  const files: ProtocolFile[] = [];
  for (const ext of EXTS.filter((x) => made.has(x))) {
    const bytes = made.get(ext)!;
    const hasher = new StreamHasher();
    hasher.update(bytes);
    chmodSync(temp(ext), 0o444);
    renameSync(temp(ext), join(o.dir, name(ext)));
    files.push({ name: name(ext), bytes: bytes.length, ...hasher.digest() });
  }
  if (!pdf.ok) rmSync(join(o.dir, name('pdf')), { force: true }); // an older PDF would not match the new DOCX
  // the manifest it was made from is kept as it is; the next revision lists the protocol's files
  const { stampError } = await writeNextRevision(o.dir, o.manifestName, { add: files.map((f) => ({ ...f, kind: 'protocol' as const })), remove: pdf.ok ? [] : [name('pdf')] }, 'protocol', o.seal, o.audit ?? null);
  return { template, files, pdf, ms: { docx: docxMs, pdf: pdfMs }, ...(stampError ? { stampError } : {}) };
}
