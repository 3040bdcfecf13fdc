import { describe, expect, it } from 'vitest';
import { eventsOf, verifyAuditLog } from '../../src/engine/db/audit-log.js';
import { openDatabase } from '../../src/engine/db/database.js';
import { SittingStore } from '../../src/engine/sittings/sitting-store.js';
import { AbkError } from '../../src/shared/result.js';
import type { SittingFieldsInput } from '../../src/shared/sitting.js';

const fields: SittingFieldsInput = {
  caseNumber: '7599-24-00-2/1234', caseCategory: 'Гражданское', description: 'О взыскании задолженности',
  court: 'Специализированный межрайонный экономический суд г. Алматы', city: 'Алматы', courtroom: '305',
  language: 'kk', presidingJudge: 'Әлібекова Гүлнәр Қайратқызы', secretary: 'Нұрланұлы Дәурен',
  participants: [
    { name: 'Сәрсенбаев Өмірзақ', role: 'plaintiff' },
    { name: 'ТОО «Құрылыс-Һ»', role: 'defendant', attendance: 'remote' },
  ],
  evidence: [{ title: 'Договор поставки № 17', presentedBy: 'Сәрсенбаев Өмірзақ' }],
};
const at = Date.UTC(2026, 10, 22, 5, 30);

function store(): { s: SittingStore; db: ReturnType<typeof openDatabase> } {
  const db = openDatabase(':memory:');
  return { s: new SittingStore(db), db };
}

describe('SittingStore', () => {
  it('keeps every field, Kazakh letters included, and names the sitting from the case and the time', () => {
    const { s } = store();
    const row = s.create(fields, at);
    expect(row).toMatchObject({ state: 'draft', base: '7599-24-00-2_1234_2026-11-22_10-30' });
    expect(row.fields.presidingJudge).toBe('Әлібекова Гүлнәр Қайратқызы');
    expect(row.fields.participants[1]).toEqual({ name: 'ТОО «Құрылыс-Һ»', role: 'defendant', attendance: 'remote' });
    expect(s.create(fields, at).base).toBe('7599-24-00-2_1234_2026-11-22_10-30_2');
  });

  it('refuses incomplete details, naming what is missing', () => {
    const { s } = store();
    const e = (() => { try { s.create({ ...fields, caseNumber: ' ', presidingJudge: '' }); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(AbkError);
    expect((e as AbkError).appError.message.en).toMatch(/caseNumber: enter the case number.*presidingJudge/);
  });

  it('follows the state machine, writing each change with its event, and refuses the rest', () => {
    const { s, db } = store();
    const { id } = s.create(fields, at);
    for (const to of ['ready', 'recording', 'paused', 'recording', 'finalizing', 'finalized'] as const) s.transition(id, to, to === 'recording' ? { dir: '/r/x' } : {});
    expect(s.get(id).state).toBe('finalized');
    const states = eventsOf(db, id).filter((e) => e.type === 'state').map((e) => (e.payload as { to: string }).to);
    expect(states).toEqual(['ready', 'recording', 'paused', 'recording', 'finalizing', 'finalized']);
    const before = eventsOf(db, id).length;
    // a sitting finished by Stop is sealed: it is never recorded into again
    expect(() => s.transition(id, 'recording')).toThrow(/finished and its files are sealed/);
    expect(() => s.assertCanRecord(id)).toThrow(/finished and its files are sealed/);
    expect(() => s.transition(id, 'paused')).toThrow(/cannot go to "paused"/);
    expect(eventsOf(db, id)).toHaveLength(before); // nothing half-written
    expect(() => s.updateFields(id, fields)).toThrow(/cannot edit the details/);
  });

  it('lets an interrupted sitting be continued, after it was finalized from its segments too, keeping the cause', () => {
    const { s } = store();
    const { id } = s.create(fields, at);
    for (const to of ['ready', 'recording'] as const) s.transition(id, to, to === 'recording' ? { dir: '/r/x' } : {});
    s.transition(id, 'interrupted', { cause: 'power-lost' });
    expect(s.unfinished().map((r) => r.id)).toEqual([]);
    expect(s.lastInterruption(id)?.cause).toBe('power-lost');
    s.transition(id, 'finalizing');
    s.transition(id, 'finalized');
    expect(s.assertCanRecord(id).state).toBe('finalized');
    expect(s.transition(id, 'recording').state).toBe('recording');
    expect(s.unfinished().map((r) => r.id)).toEqual([id]);
    // finalized again after the continuation: it needs its protocol until one is made
    s.transition(id, 'finalizing');
    s.transition(id, 'finalized');
    expect(s.withoutProtocol().map((r) => r.id)).toEqual([id]);
    s.note(id, 'protocol', { files: [] });
    expect(s.withoutProtocol()).toEqual([]);
    // continued again, and this time finished by Stop: sealed like any other, its folder kept in its row
    expect(s.canContinue(id)).toBe(true);
    s.transition(id, 'recording');
    s.note(id, 'stop-requested', {});
    s.transition(id, 'finalizing');
    s.transition(id, 'finalized', { finalDir: '/r/2026/c/b' });
    expect(s.canContinue(id)).toBe(false);
    expect(() => s.assertCanRecord(id)).toThrow(/finished and its files are sealed/);
    expect(s.get(id).finalDir).toBe('/r/2026/c/b');
    // a sitting never interrupted has no cause to give
    const other = s.create(fields, at + 1).id;
    expect(s.lastInterruption(other)).toBeUndefined();
  });

  it('keeps a mark\'s original when it is corrected, and shows the correction in its place', () => {
    const { s } = store();
    const { id } = s.create(fields, at);
    s.transition(id, 'ready');
    s.transition(id, 'recording', { dir: '/r/x' });
    const a = s.addMark(id, { kind: 'floor', atSample: 48000 * 60, wallMs: at + 60_000, seat: 'plaintiff', participant: 'Сәрсенбаев Өмірзақ' });
    s.addMark(id, { kind: 'evidence', atSample: 48000 * 90, wallMs: at + 90_000, text: 'Договор поставки № 17' });
    const fixed = s.correctMark(a.id, { seat: 'defence', participant: 'Адвокат Қасымов' });
    expect(fixed).toMatchObject({ correctsId: a.id, seat: 'defence', atSample: 48000 * 60 });
    expect(s.marks(id).map((m) => m.seat ?? m.kind)).toEqual(['defence', 'evidence']);
    expect(s.marks(id, { all: true })).toHaveLength(3);
  });

  it('takes marks only while recording', () => {
    const { s } = store();
    const { id } = s.create(fields, at);
    expect(() => s.addMark(id, { kind: 'note', atSample: 0, wallMs: at })).toThrow(/cannot take a mark/);
  });

  it('chains the audit log so an edited or removed event is found', () => {
    const { s, db } = store();
    const { id } = s.create(fields, at);
    s.transition(id, 'ready');
    s.transition(id, 'recording');
    expect(verifyAuditLog(db)).toEqual({ ok: true, events: 3 });
    // someone with the database file, bypassing the triggers
    db.exec('DROP TRIGGER events_no_update');
    db.prepare("UPDATE events SET payload = '{\"from\":\"ready\",\"to\":\"draft\"}' WHERE id = 2").run();
    expect(verifyAuditLog(db)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringContaining('changed') });
  });
});
