import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/engine/db/database.js';
import { databasePath, SittingSession } from '../../src/engine/sittings/sitting-session.js';
import { abk } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { pdfText } from '../helpers/documents.js';
import { KAZAKH_FIELDS } from '../helpers/engine.js';
import { readWav } from '../helpers/wav.js';

const court = new TestCourtroom();
afterAll(() => court.close());

const RATE = 48000;
const SEGMENT_S = 10;
const CHUNK_S = 4;

/** The bytes of a WAV's data chunk, found by walking its chunks (this test's own reading, not the product's). */
function dataBytes(path: string): Buffer {
  const b = readFileSync(path);
  let off = 12;
  while (off + 8 <= b.length) {
    const size = b.readUInt32LE(off + 4);
    if (b.toString('ascii', off, off + 4) === 'data') return b.subarray(off + 8, off + 8 + size);
    off += 8 + size + (size % 2);
  }
  throw new Error(`${path}: no data chunk`);
}
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('the chain of segments and marks, kept in the audit log as the sitting is recorded', () => {
  it('a segment removed from .work before finalize: abk verify names it; finalize leaves silence in its place and says why', async () => {
    const sink = await court.sink(2, 16);
    const root = join(court.dir, 'chain');
    const session = new SittingSession(openDatabase(databasePath(root)), court.room.config(root, sink, { camera: 'none', segmentSeconds: SEGMENT_S, chainChunkSeconds: CHUNK_S }));
    const { id, base } = session.create({ ...KAZAKH_FIELDS, caseNumber: 'chain-1' });
    const src = court.counter(sink, 30);
    const playing = court.room.card.play(sink, src.path);
    await session.start({ captureEnv: court.room.captureEnv });
    await new Promise((r) => setTimeout(r, 3000));
    session.mark({ kind: 'floor', seat: 'judge' });
    await new Promise((r) => setTimeout(r, 21_000)); // three segments a microphone: two full, the last closed by Stop
    const summary = await session.stopRecording();
    playing.stop();
    const work = summary.dir;

    // every 4 s of a segment's audio data entered the chain as it completed, with its SHA-256; every segment as it
    // closed, with the SHA-256 of its chunks' digests one after another; the mark too
    const chain = session.store.chain(id);
    const segments = summary.audioSegments.map((a) => a.file).sort();
    expect(segments.filter((f) => f.startsWith('mic01_judge.'))).toHaveLength(3);
    expect(chain.filter((e) => e.kind === 'segment').map((e) => e.name).sort()).toEqual(segments);
    const chunkBytes = CHUNK_S * RATE * 2;
    for (const e of chain.filter((x) => x.kind === 'segment')) {
      const data = dataBytes(join(work, e.name));
      const pieces = Array.from({ length: Math.ceil(data.length / chunkBytes) }, (_, k) => data.subarray(k * chunkBytes, (k + 1) * chunkBytes));
      const chunks = chain.filter((x) => x.kind === 'chunk' && x.name === e.name);
      expect(chunks.map((c) => [c.offset, c.bytes, c.sha256]), e.name).toEqual(pieces.map((b, k) => [k * chunkBytes, b.length, sha256(b)]));
      expect(chunks.every((c) => c.i < e.i)).toBe(true); // each before its segment's entry
      expect(e.sha256).toBe(sha256(Buffer.concat(pieces.map((b) => Buffer.from(sha256(b), 'hex')))));
      expect(e.chunkBytes).toBe(chunkBytes);
    }
    expect(chain.filter((e) => e.kind === 'mark').map((e) => e.name)).toEqual([`mark ${session.store.marks(id)[0]!.id}`]);
    expect(chain.map((e) => e.i)).toEqual(chain.map((_, k) => k + 1));
    // a closed segment is read-only in the working folder; what is still being written is not (the events log)
    for (const f of segments) expect((statSync(join(work, f)).mode & 0o777).toString(8), f).toBe('444');
    expect(statSync(join(work, 'events.jsonl')).mode & 0o200).not.toBe(0);

    // untouched, before finalize: the chain holds against every byte of the working folder (positive control)
    const clean = abk(['verify', root]);
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toContain(`${base}: chain of segments and marks: holds (${chain.length} entries)`);

    // a copy where two segments were swapped (reordered) and one cut short: each is named
    const copy = join(court.dir, 'chain-copy');
    cpSync(root, copy, { recursive: true });
    const cw = join(copy, '.work', base);
    renameSync(join(cw, 'mic02_secretary.t01.s001.wav'), join(cw, 'swap'));
    renameSync(join(cw, 'mic02_secretary.t01.s002.wav'), join(cw, 'mic02_secretary.t01.s001.wav'));
    renameSync(join(cw, 'swap'), join(cw, 'mic02_secretary.t01.s002.wav'));
    const swapped = abk(['verify', copy]);
    expect(swapped.code).toBe(1);
    expect(swapped.stdout).toMatch(/CHANGED {2}mic02_secretary\.t01\.s001\.wav: its audio data differs/);
    expect(swapped.stdout).toMatch(/CHANGED {2}mic02_secretary\.t01\.s002\.wav: its audio data differs/);

    // the attack: the middle segment of microphone 1 removed between Stop and finalize
    const removed = 'mic01_judge.t01.s002.wav';
    const seg = summary.audioSegments.find((a) => a.file === removed)!;
    rmSync(join(work, removed));
    const v = abk(['verify', root], { ABK_LANG: 'kk' });
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('сегменттер мен белгілер тізбегі: БҰЗЫЛҒАН');
    expect(v.stdout).toMatch(new RegExp(`MISSING {2}${removed.replace(/\./g, '\\.')}: recorded, then removed`));

    const result = await session.finalizeStopped(summary);
    expect(result.chainFindings?.map((f) => [f.name, f.status])).toEqual([[removed, 'missing']]);
    expect(existsSync(join(result.dir, result.manifestName))).toBe(true);
    const m = result.manifest;
    expect(m.chain).toEqual({ entries: chain.length, head: chain.at(-1)!.head });
    expect(m.problems).toContainEqual(expect.objectContaining({ source: 'chain', subject: removed, code: 'chain-missing' }));
    const gap = m.gaps.find((g) => g.cause === 'segment-removed')!;
    expect(gap.device).toBe('mic01_judge');
    expect(Math.abs(gap.toMs - gap.fromMs - (seg.frames * 1000) / RATE)).toBeLessThan(2);
    // its stretch is silence in microphone 1's file, where microphone 2 has the signal; the sound did not close up
    const mic1 = readWav(join(result.dir, `${base}_mic01_judge.wav`)).samples;
    const mic2 = readWav(join(result.dir, `${base}_mic02_secretary.wav`)).samples;
    expect(mic1.length).toBe(mic2.length);
    const from = Math.round((gap.fromMs * RATE) / 1000) + 100;
    const to = Math.round((gap.toMs * RATE) / 1000) - 100;
    expect(mic1.subarray(from, to).every((x) => x === 0)).toBe(true);
    expect(mic2.subarray(from, to).some((x) => x !== 0)).toBe(true);
    expect(mic1.subarray(from - 2 * RATE, from - RATE).some((x) => x !== 0)).toBe(true); // before it, the sound is there
    // the protocol says so in the sitting's language
    const pdf = join(result.dir, `${base}_protocol.pdf`);
    expect(pdfText(pdf).replace(/\s+/g, ' ')).toContain('жазылған сегмент аяқтауға дейін жұмыс қалтасынан жойылды');
    expect((await result.verified).ok).toBe(true); // the package is consistent with what it says
    await session.close();
    expect(abk(['verify', result.dir]).code).toBe(0);
  }, 180_000);

  it('a mark edited in SQLite after the sitting: abk verify finds it against the chain; the untouched one holds', async () => {
    const root = join(court.dir, 'chain');
    const copy = join(court.dir, 'chain-marks');
    cpSync(root, copy, { recursive: true });
    // finalized, its working folder gone: the chain is checked against its marks and the sealed manifest's head
    const before = abk(['verify', copy]);
    expect(before.code, before.stdout).toBe(0);
    expect(before.stdout).toMatch(/chain-1_\S+: chain of segments and marks: holds \(\d+ entries\)/);
    const db = new Database(join(copy, 'abk.sqlite'));
    const mark = db.prepare('SELECT id, at_sample FROM marks ORDER BY id LIMIT 1').get() as { id: number; at_sample: number };
    db.exec('DROP TRIGGER marks_no_update');
    db.prepare('UPDATE marks SET at_sample = at_sample + 240000 WHERE id = ?').run(mark.id); // five seconds later
    db.close();
    const after = abk(['verify', copy]);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`CHANGED  mark ${mark.id}: the mark differs from what was stored when it was made`);

  }, 60_000);

  it('a stretch of a microphone\'s one file changed while it is still being recorded: abk verify names it by minute and second; the file untouched holds', async () => {
    const sink = await court.sink(2, 16);
    const root = join(court.dir, 'chain-live');
    // the product's own segment length: one file a microphone for the whole sitting
    const config = court.room.config(root, sink, { camera: 'none', chainChunkSeconds: 2 });
    const session = new SittingSession(openDatabase(databasePath(root)), config);
    const { id, base } = session.create({ ...KAZAKH_FIELDS, caseNumber: 'chain-live' });
    const src = court.counter(sink, 30);
    const playing = court.room.card.play(sink, src.path);
    await session.start({ captureEnv: court.room.captureEnv });
    try {
      await new Promise((r) => setTimeout(r, 9000));
      const work = join(root, '.work', base);
      const file = 'mic01_judge.t01.s001.wav';
      const chunks = session.store.chain(id).filter((e) => e.kind === 'chunk' && e.name === file);
      expect(chunks.length).toBeGreaterThanOrEqual(3); // 2 s each, told while the file grows
      expect(session.store.chain(id).some((e) => e.kind === 'segment')).toBe(false); // nothing closed yet
      // untouched, while recording: holds (the positive control)
      const clean = abk(['verify', root]);
      expect(clean.code, clean.stdout).toBe(0);
      expect(clean.stdout).toContain(`${base}: chain of segments and marks: holds`);
      // one sample in the second chunk (2–4 s) overwritten on disk while the capture goes on writing the file
      const dataAt = readFileSync(join(work, file)).indexOf('data') + 8;
      const fd = openSync(join(work, file), 'r+');
      writeSync(fd, Buffer.from([0x55, 0x55]), 0, 2, dataAt + chunks[1]!.offset! + 1000);
      closeSync(fd);
      const v = abk(['verify', root]);
      expect(v.code).toBe(1);
      expect(v.stdout).toMatch(/CHANGED {2}mic01_judge\.t01\.s001\.wav: its audio data from 0:02 to 0:04 differs from what was recorded/);
      expect(v.stdout).not.toContain('mic02_secretary');
    } finally {
      await session.stopRecording();
      playing.stop();
      await session.close();
    }
  }, 120_000);
});
