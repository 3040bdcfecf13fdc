/**
 * npm run bench:protocol
 *
 * The short protocol of a long sitting — 500 marks, 40 files (32 microphones,
 * mix, video, A/V…) — in Kazakh and in Russian: time to fill the DOCX template,
 * time to make the PDF with LibreOffice (the first run also creates its
 * profile), and the size and page count of the result.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest, ManifestFile, ManifestMark } from '../src/engine/finalize/manifest.js';
import { generateProtocol } from '../src/engine/protocol/protocol.js';
import { MARK_KINDS } from '../src/shared/sitting.js';

const root = mkdtempSync(join(tmpdir(), 'abk-bench-protocol-'));
const base = '7599-24-00-2_1234_2026-11-23_10-30';
const hex = (n: number, seed: number): string => Array.from({ length: n }, (_, i) => ((seed * 31 + i * 7) % 16).toString(16)).join('');
const clock = (ms: number): string => new Date(Date.UTC(2026, 10, 23, 10, 30, 5) + ms).toISOString().slice(0, 19).replace('T', ' ');

function manifestFor(language: 'kk' | 'ru'): Manifest {
  const files: ManifestFile[] = Array.from({ length: 40 }, (_, i) => ({
    name: i < 37 ? `${base}_mic${String(i + 1).padStart(2, '0')}_witness.wav` : `${base}_${['mix.mp3', 'video.mp4', 'av.mp4'][i - 37]}`,
    kind: i < 37 ? 'microphone' : (['mix', 'video', 'audio-video'] as const)[i - 37]!, bytes: 2_073_600_044 + i, md5: hex(32, i), sha256: hex(64, i), durationMs: 14_400_000,
    ...(i < 37 ? { microphone: { number: i + 1, stem: `mic${i + 1}`, seat: 'witness', trackName: `Куә ${i + 1}`, device: 'hub', deviceChannel: i + 1 } } : {}),
  }));
  const marks: ManifestMark[] = Array.from({ length: 500 }, (_, i) => ({
    id: i + 1, kind: MARK_KINDS[i % MARK_KINDS.length]!, seat: 'witness', participant: `Өтегенов Ұлан ${i}`,
    ...(i % 3 === 0 ? { text: 'Қарыз шарты бойынша түсініктеме' } : {}),
    timelineMs: i * 28_000, mediaMs: i * 28_000, avMs: i * 28_000 + 1000, wallTime: clock(i * 28_000),
  }));
  return {
    format: 'abk-abt-manifest', formatVersion: 3, audit: null, chain: null, revision: 1, previous: null, writtenAt: '2026-11-23 11:40:01', reason: 'finalize', base, caseNumber: '7599-24-00-2/1234', timeZone: 'Asia/Almaty', utcOffset: '+05:00',
    startedAt: clock(0), endedAt: clock(14_400_000), sampleRate: 48000, bitDepth: 24, mediaDurationMs: 14_400_000,
    sitting: {
      caseNumber: '7599-24-00-2/1234', caseCategory: 'Қылмыстық іс', description: 'Бөтеннің мүлкін ұрлау', court: 'Астана қаласының қылмыстық істер жөніндегі мамандандырылған ауданаралық соты',
      city: 'Астана', courtroom: '№ 5', language, presidingJudge: 'Әбілқасымова Гүлнәр', judges: [], secretary: 'Сейітқали Ұлжан',
      participants: Array.from({ length: 20 }, (_, i) => ({ name: `Қатысушы Іңкәр ${i + 1}`, role: 'witness' as const, attendance: 'present' as const })),
      evidence: Array.from({ length: 30 }, (_, i) => ({ title: `Дәлелдеме № ${i + 1}` })),
    },
    files, marks, pauses: [], gaps: [], problems: [], software: { name: 'ABK ABT', version: '0.1.0' },
  };
}

const log = (s: string): void => { process.stdout.write(`${s}\n`); };
log('bench:protocol: a sitting with 500 marks, 40 files, 20 participants, 30 evidence items');
for (const [run, language] of [[1, 'kk'], [2, 'kk'], [3, 'ru']] as const) {
  const dir = join(root, String(run), base);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${base}_manifest.json`), JSON.stringify(manifestFor(language)));
  const t0 = performance.now();
  const r = await generateProtocol({ dir, manifestName: `${base}_manifest.json`, scratchDir: root });
  const total = performance.now() - t0;
  if (!r.pdf.ok) throw r.pdf.error;
  const pdf = join(dir, `${base}_protocol.pdf`);
  const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1];
  log(`${language}${run === 1 ? ' (LibreOffice profile created)' : ''}: DOCX filled in ${r.ms.docx.toFixed(0)} ms; PDF ${r.ms.pdf.toFixed(0)} ms; all four files and MD5SUMS ${total.toFixed(0)} ms; `
    + `DOCX ${(statSync(join(dir, `${base}_protocol.docx`)).size / 1024).toFixed(0)} KiB, PDF ${(statSync(pdf).size / 1024).toFixed(0)} KiB, ${pages} pages`);
}
rmSync(root, { recursive: true, force: true });
