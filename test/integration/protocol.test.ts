import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PizZip from 'pizzip';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestFile } from '../../src/engine/finalize/manifest.js';
import { generateProtocol, templateFor } from '../../src/engine/protocol/protocol.js';
import { AbkError } from '../../src/shared/result.js';
import { SEAT_ROLES } from '../../src/shared/seats.js';
import { docxText, firstPagePng, pdfFonts, pdfText } from '../helpers/documents.js';
import { md5sum, sha256sum } from '../helpers/media.js';

const scratch = mkdtempSync(join(tmpdir(), 'abk-protocol-'));
const artifacts = join(process.cwd(), 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const BASE = '7599-24-00-2_1234_2026-11-23_10-30';
const KAZAKH = ['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Ә', 'Ғ', 'Қ', 'Ө', 'Ұ', 'Ү', 'Һ', 'І'];

/** A finalized sitting's folder: real files with their real checksums, a manifest and MD5SUMS. */
function finalizedFolder(lang: 'kk' | 'ru'): { dir: string; manifest: Manifest; manifestName: string } {
  const dir = join(scratch, lang, BASE);
  rmSync(dir, { recursive: true, force: true }); // a sitting of its own: another test's revisions are not this one's
  mkdirSync(dir, { recursive: true });
  const file = (name: string, kind: ManifestFile['kind'], extra: Partial<ManifestFile> = {}): ManifestFile => {
    const path = join(dir, `${BASE}_${name}`);
    writeFileSync(path, randomBytes(50_000 + Math.floor(Math.random() * 1000)));
    return { name: `${BASE}_${name}`, kind, bytes: statSync(path).size, md5: md5sum(path), sha256: sha256sum(path), durationMs: 4_000_000, ...extra };
  };
  const files = [
    file('mic01_judge.wav', 'microphone', { microphone: { number: 1, stem: 'mic01_judge', seat: 'judge', trackName: 'Судья', device: 'hub', deviceChannel: 1 } }),
    file('mic02_plaintiff.wav', 'microphone', { microphone: { number: 2, stem: 'mic02_plaintiff', seat: 'plaintiff', trackName: 'Истец', device: 'hub', deviceChannel: 2 } }),
    file('mix.mp3', 'mix'),
    file('video.mp4', 'video', { camera: 'cam1' }),
  ];
  const manifest: Manifest = {
    format: 'abk-abt-manifest', formatVersion: 3, audit: null, chain: null, revision: 1, previous: null, writtenAt: '2026-11-23 11:40:01', reason: 'finalize', base: BASE, caseNumber: '7599-24-00-2/1234', timeZone: 'Asia/Almaty', utcOffset: '+05:00',
    startedAt: '2026-11-23 10:30:05', endedAt: '2026-11-23 11:40:00', sampleRate: 48000, bitDepth: 24, mediaDurationMs: 3_900_000,
    sitting: {
      caseNumber: '7599-24-00-2/1234', caseCategory: lang === 'kk' ? 'Азаматтық іс' : 'Гражданское дело',
      description: lang === 'kk' ? 'Қарыз өндіріп алу туралы талап' : 'О взыскании долга по договору займа',
      court: 'Астана қаласының ауданаралық экономикалық соты', city: 'Астана', courtroom: '№ 3', language: lang,
      presidingJudge: 'Әбілқасымова Гүлнәр', judges: ['Қожахметов Ерұлан', 'Һәдиев Іңкәр'], secretary: 'Сейітқали Ұлжан', interpreter: 'Өмірзақ Айгүл',
      participants: [
        { name: 'Өтегенов Ұлан', role: 'plaintiff', attendance: 'present' },
        { name: 'Іңкәрова Үміт', role: 'defendant', attendance: 'absent' },
        { name: 'Ғалия Мағжанқызы Шаһөзова', role: 'witness', attendance: 'remote' },
      ],
      evidence: [{ title: 'Қарыз шарты № 15', presentedBy: 'Өтегенов Ұлан' }],
    },
    files,
    marks: [
      { id: 1, kind: 'floor', seat: 'plaintiff', participant: 'Өтегенов Ұлан', timelineMs: 61_000, mediaMs: 61_000, avMs: 62_000, wallTime: '2026-11-23 10:31:06' },
      { id: 2, kind: 'evidence', text: 'Қарыз шарты № 15', timelineMs: 125_000, mediaMs: 125_000, avMs: 126_000, wallTime: '2026-11-23 10:32:10' },
      { id: 3, kind: 'break', timelineMs: 600_000, mediaMs: 600_000, avMs: 601_000, wallTime: '2026-11-23 10:40:05' },
      { id: 4, kind: 'resume', timelineMs: 900_000, mediaMs: 600_000, avMs: 601_000, wallTime: '2026-11-23 10:45:05' },
      { id: 5, kind: 'deliberation', timelineMs: 3_000_000, mediaMs: 2_700_000, avMs: 2_701_000, wallTime: '2026-11-23 11:20:05' },
      { id: 6, kind: 'return', timelineMs: 3_600_000, mediaMs: 2_700_000, avMs: 2_701_000, wallTime: '2026-11-23 11:30:05' },
      { id: 7, kind: 'decision', timelineMs: 3_660_000, mediaMs: 2_760_000, avMs: 2_761_000, wallTime: '2026-11-23 11:31:05' },
      { id: 8, kind: 'note', text: 'Жауапкер келмеді, хабарланған', timelineMs: 30_000, mediaMs: 30_000, avMs: 31_000, wallTime: '2026-11-23 10:30:35' },
    ],
    pauses: [{ fromMs: 600_000, toMs: 900_000 }],
    gaps: lang === 'ru' ? [{ device: 'hub', fromMs: 1_000_000, toMs: 1_002_500 }] : [],
    problems: [], software: { name: 'ABK ABT', version: '0.1.0' },
  };
  const manifestName = `${BASE}_manifest.json`;
  writeFileSync(join(dir, manifestName), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'MD5SUMS'), [...files, { name: manifestName, md5: md5sum(join(dir, manifestName)) }].map((f) => `${f.md5}  ${f.name}\n`).join(''));
  return { dir, manifest, manifestName };
}

/** Everything of the sitting a protocol must show, as the reader sees it. */
function expectedValues(m: Manifest, lang: 'kk' | 'ru', manifestMd5: string): string[] {
  const s = m.sitting!;
  return [
    s.court, s.city, s.courtroom, s.caseNumber, s.caseCategory!, s.description!, s.presidingJudge, ...s.judges, s.secretary, s.interpreter!,
    ...s.participants.flatMap((p) => [p.name, SEAT_ROLES[p.role][lang]]), ...s.evidence.map((e) => e.title),
    '23.11.2026', '10:30:05', '11:40:00', 'UTC+05:00',
    ...m.marks.flatMap((k) => [k.wallTime.slice(11), ...(k.participant ? [k.participant] : []), ...(k.text ? [k.text] : [])]),
    '0:01:01', '0:02:05', '1:01:00',
    ...m.files.flatMap((f) => [f.name, String(f.bytes), f.md5, f.sha256]), manifestMd5,
  ];
}

const missing = (text: string, values: string[]): string[] => values.filter((v) => !text.replace(/\s+/g, ' ').includes(v.replace(/\s+/g, ' ')));

describe('the short protocol', () => {
  for (const lang of ['kk', 'ru'] as const) {
    it(`in ${lang === 'kk' ? 'Kazakh' : 'Russian'}: DOCX and PDF hold every field, mark and file, Kazakh letters extract right, MD5SUMS covers it`, async () => {
      const { dir, manifest, manifestName } = finalizedFolder(lang);
      const r = await generateProtocol({ dir, manifestName, scratchDir: join(scratch, `work-${lang}`), nowMs: Date.UTC(2026, 10, 23, 7, 0, 0) });
      expect(r.pdf).toEqual({ ok: true });
      expect(r.template).toBe(templateFor(lang));
      const name = (ext: string): string => join(dir, `${BASE}_protocol.${ext}`);
      expect(r.files.map((f) => f.name)).toEqual(['docx', 'pdf', 'json', 'xml'].map((e) => `${BASE}_protocol.${e}`));
      for (const f of r.files) {
        expect(statSync(join(dir, f.name)).mode & 0o222).toBe(0);
        expect(f.md5).toBe(md5sum(join(dir, f.name)));
      }
      const check = spawnSync('md5sum', ['-c', 'MD5SUMS'], { cwd: dir, encoding: 'utf8' });
      expect(check.status).toBe(0);
      // the media files, the manifest (now revision 2), the protocol's four, and revision 1 kept as it was
      expect(check.stdout.trim().split('\n')).toHaveLength(manifest.files.length + 1 + 4 + 1);
      expect(readFileSync(join(dir, `${BASE}_manifest.r1.json`), 'utf8')).toBe(JSON.stringify(manifest, null, 2));

      const values = expectedValues(manifest, lang, md5sum(join(dir, `${BASE}_manifest.r1.json`)) /* the revision it was made from */);
      const pdf = pdfText(name('pdf'));
      expect(missing(pdf, values)).toEqual([]);
      for (const letter of KAZAKH) expect(pdf).toContain(letter);
      expect(pdf).toContain(lang === 'kk' ? 'СОТ ОТЫРЫСЫНЫҢ ҚЫСҚАША ХАТТАМАСЫ' : 'КРАТКИЙ ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ');
      expect(pdf).toContain(lang === 'kk' ? 'үздіксіз жүргізілді' : 'есть разрывы');
      expect(pdfFonts(name('pdf')).every((f) => f.embedded)).toBe(true);
      expect(missing(docxText(name('docx'), join(scratch, `text-${lang}`)), values)).toEqual([]);
      const png = firstPagePng(name('pdf'), join(artifacts, `protocol-${lang}-page1`));
      expect(statSync(png).size).toBeGreaterThan(10_000);

      const json = JSON.parse(readFileSync(name('json'), 'utf8')) as { format: string; protocol: { caseNumber: string; marks: unknown[]; files: unknown[] } };
      expect(json.format).toBe('abk-abt-protocol');
      expect(json.protocol.caseNumber).toBe('7599-24-00-2/1234');
      expect(json.protocol.marks).toHaveLength(manifest.marks.length);
      expect(json.protocol.files).toHaveLength(manifest.files.length);
      const xml = execFileSync('python3', ['-c', 'import sys,xml.etree.ElementTree as E; r=E.parse(sys.argv[1]).getroot(); print(r.find("protocol/caseNumber").text)', name('xml')], { encoding: 'utf8' });
      expect(xml.trim()).toBe('7599-24-00-2/1234');
    });
  }

  /** The built-in Russian template with its document.xml changed by `edit`. */
  function customTemplate(folder: string, edit: (xml: string) => string): string {
    const zip = new PizZip(readFileSync(templateFor('ru')));
    zip.file('word/document.xml', edit(zip.file('word/document.xml')!.asText()));
    const dir = join(scratch, folder);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ru.docx'), zip.generate({ type: 'nodebuffer' }));
    return dir;
  }

  const snapshot = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(dir).map((f) => [f, md5sum(join(dir, f))]));

  it('refuses a bad template, naming it and the placeholder, and touches nothing; a valid court template is used', async () => {
    const { dir, manifestName } = finalizedFolder('ru');
    const refused = async (templateDir: string): Promise<AbkError> => {
      const before = snapshot(dir);
      const e = await generateProtocol({ dir, manifestName, templateDir, scratchDir: join(scratch, 'work-bad') }).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(AbkError);
      expect(snapshot(dir)).toEqual(before);
      return e as AbkError;
    };
    const unknown = await refused(customTemplate('unknown', (x) => x.replace('{court}', '{courtName}')));
    expect(unknown.appError.code).toBe('protocol-template-unknown-placeholder');
    expect(unknown.appError.message.ru).toContain('{courtName}');
    expect(unknown.appError.message.ru).toContain(join(scratch, 'unknown', 'ru.docx'));
    expect(unknown.appError.message.kk).toContain('{courtName}');

    const loop = await refused(customTemplate('loop', (x) => x.replace('{/marks}', '')));
    expect(loop.appError.code).toBe('protocol-template-broken-loop');
    expect(loop.appError.message.en).toContain('{marks}');

    const notDocxDir = join(scratch, 'not-docx');
    mkdirSync(notDocxDir, { recursive: true });
    writeFileSync(join(notDocxDir, 'ru.docx'), 'this is a text file, not a Word document');
    expect((await refused(notDocxDir)).appError.code).toBe('protocol-template-not-docx');

    const own = customTemplate('own', (x) => x.replace('КРАТКИЙ ПРОТОКОЛ СУДЕБНОГО ЗАСЕДАНИЯ', 'ПРОТОКОЛ ПО ШАБЛОНУ СУДА № 7'));
    const r = await generateProtocol({ dir, manifestName, templateDir: own, scratchDir: join(scratch, 'work-own') });
    expect(r.template).toBe(join(own, 'ru.docx'));
    expect(pdfText(join(dir, `${BASE}_protocol.pdf`))).toContain('ПРОТОКОЛ ПО ШАБЛОНУ СУДА № 7');
    expect(spawnSync('md5sum', ['-c', 'MD5SUMS'], { cwd: dir }).status).toBe(0);
  });
});
