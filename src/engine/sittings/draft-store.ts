import type { Draft } from '../../shared/api/contract.js';
import { AbkError, appError } from '../../shared/result.js';
import type { Db } from '../db/database.js';

interface RawDraft { id: number; fields: string; updated_ms: number }
const toDraft = (r: RawDraft): Draft => ({ id: r.id, fields: JSON.parse(r.fields) as Record<string, unknown>, updatedMs: r.updated_ms });

/**
 * What the secretary has typed into the sitting form, kept as typed so it can
 * be picked up later; it is checked only when the sitting is opened from it.
 */
export class DraftStore {
  constructor(private readonly db: Db) {}

  list(): Draft[] {
    return (this.db.prepare('SELECT * FROM drafts ORDER BY updated_ms DESC, id DESC').all() as RawDraft[]).map(toDraft);
  }

  save(fields: Record<string, unknown>, id?: number, now = Date.now()): Draft {
    const json = JSON.stringify(fields);
    if (id === undefined) {
      const newId = Number(this.db.prepare('INSERT INTO drafts (fields, updated_ms) VALUES (?, ?)').run(json, now).lastInsertRowid);
      return this.get(newId);
    }
    if (this.db.prepare('UPDATE drafts SET fields = ?, updated_ms = ? WHERE id = ?').run(json, now, id).changes === 0) throw missing(id);
    return this.get(id);
  }

  get(id: number): Draft {
    const r = this.db.prepare('SELECT * FROM drafts WHERE id = ?').get(id) as RawDraft | undefined;
    if (!r) throw missing(id);
    return toDraft(r);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM drafts WHERE id = ?').run(id).changes > 0;
  }
}

const missing = (id: number): AbkError => new AbkError(appError('draft-not-found', `There is no draft ${id}; it may have been opened as a sitting already.`,
  `Черновик ${id} не найден; возможно, заседание по нему уже открыто.`, `${id} жобасы табылмады; ол бойынша отырыс ашылған болуы мүмкін.`));
