import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AbkConfig } from '../../src/shared/config.js';
import { abk } from '../helpers/abk-cli.js';
import { TestCourtroom } from '../helpers/courtroom.js';
import { KAZAKH_FIELDS, post, startEngine } from '../helpers/engine.js';

const court = new TestCourtroom();

let root: string;
let sealed: string;
let n = 0;

beforeAll(() => {
  root = join(court.dir, 'demo');
  const r = abk(['demo', '--seconds', '4', '--channels', '2', '--no-camera', '--out', root], court.demoEnv('vc'));
  expect(r.code, r.stderr).toBe(0);
  sealed = r.stdout.trim().split('\n').at(-1)!;
}, 180_000);
afterAll(() => court.close());

/** The whole recordings root as someone with the disk would have it: the packages, the database, the anchor. */
function rootCopy(): string {
  const to = join(court.dir, `root-${n++}`);
  cpSync(root, to, { recursive: true });
  return to;
}

/** What someone with the database and a SQLite shell does: the guards dropped, then `sql`. */
function tamper(dir: string, sql: string): void {
  const db = new Database(join(dir, 'abk.sqlite'));
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  db.exec(sql);
  db.close();
}

/** The event the sealed manifest names as the log's head when it was written. */
const sealedHead = (): { event: number; hash: string } => {
  const name = sealed.split('/').at(-1)!;
  return (JSON.parse(readFileSync(join(sealed, `${name}_manifest.json`), 'utf8')) as { audit: { event: number; hash: string } }).audit;
};
const lastEvent = (dir: string): number => {
  const db = new Database(join(dir, 'abk.sqlite'), { readonly: true });
  const id = (db.prepare('SELECT max(id) AS id FROM events').get() as { id: number }).id;
  db.close();
  return id;
};

describe('the appliance\'s audit log, checked against the heads written outside it', () => {
  it('an untouched recordings root: the log holds against the sealed manifest\'s head and the anchor (exit 0)', () => {
    const head = sealedHead();
    expect(head.event).toBeGreaterThan(1);
    expect(head.event).toBeLessThanOrEqual(lastEvent(root));
    const anchor = JSON.parse(readFileSync(join(root, 'abk.audit-head.json'), 'utf8')) as { head: { event: number } };
    expect(anchor.head.event).toBe(lastEvent(root)); // written when the demo's session closed
    const r = abk(['verify', root]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`audit log: holds: ${lastEvent(root)} events, checked against 2 head(s)`);
  });

  it('an audit-log row edited in SQLite: CHANGED at that event, exit 1; the engine raises an alarm at start', async () => {
    const dir = rootCopy();
    tamper(dir, "UPDATE events SET payload = json_set(payload, '$.to', 'ready') WHERE id = 3");
    const r = abk(['verify', dir], { ABK_LANG: 'ru' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/журнал аудита: ИЗМЕНЁН: .*contents changed/);
    expect(r.stdout).toContain('ПРОВЕРЕНО'); // the package itself is untouched: only the log is named
    const json = JSON.parse(abk(['verify', dir, '--json']).stdout) as { ok: boolean; logs: { check: { ok: boolean; code: string; event: number } }[] };
    expect(json.ok).toBe(false);
    expect(json.logs[0]!.check).toMatchObject({ ok: false, code: 'changed', event: 3 });

    const anchor = readFileSync(join(dir, 'abk.audit-head.json'), 'utf8');
    const config = JSON.parse(readFileSync(join(dir, 'demo-config.json'), 'utf8')) as AbkConfig;
    const engine = await startEngine(court, { ...config, recordingsRoot: dir });
    try {
      const info = (await post(engine.server, 'engine/info', {})).json.value as { alarms: { key: string; error: { code: string; message: { kk: string } } }[] };
      const alarm = info.alarms.find((a) => a.key === 'audit-log');
      expect(alarm?.error.code).toBe('audit-log-broken');
      expect(alarm?.error.message.kk).toContain('аудит журналы өзгертілген');
      expect((await post(engine.server, 'sittings/open', { fields: KAZAKH_FIELDS })).json.ok).toBe(true); // the log goes on…
    } finally {
      await engine.close();
    }
    // …but its anchor is not moved on over the broken log: the next check finds the same
    expect(readFileSync(join(dir, 'abk.audit-head.json'), 'utf8')).toBe(anchor);
    expect(abk(['verify', dir]).code).toBe(1);
  }, 60_000);

  it('the same engine start on an untouched copy raises no alarm (positive control)', async () => {
    const dir = rootCopy();
    const config = JSON.parse(readFileSync(join(dir, 'demo-config.json'), 'utf8')) as AbkConfig;
    const engine = await startEngine(court, { ...config, recordingsRoot: dir });
    try {
      const info = (await post(engine.server, 'engine/info', {})).json.value as { alarms: { key: string }[] };
      expect(info.alarms.map((a) => a.key)).not.toContain('audit-log');
      expect((await post(engine.server, 'sittings/open', { fields: KAZAKH_FIELDS })).json.ok).toBe(true);
    } finally {
      await engine.close();
    }
    // the anchor followed the log to its new head, and the whole still holds
    expect((JSON.parse(readFileSync(join(dir, 'abk.audit-head.json'), 'utf8')) as { head: { event: number } }).head.event).toBe(lastEvent(dir));
    expect(lastEvent(dir)).toBeGreaterThan(lastEvent(root));
    expect(abk(['verify', dir]).code).toBe(0);
  }, 60_000);

  it('a row edited and every hash after it recomputed: the chain holds, the sealed manifest\'s head does not', () => {
    const dir = rootCopy();
    const db = new Database(join(dir, 'abk.sqlite'));
    db.exec('DROP TRIGGER events_no_update;');
    db.prepare("UPDATE events SET payload = json_set(payload, '$.to', 'ready') WHERE id = 3").run();
    // the chain rebuilt from there on, as the log's code builds it: anyone can read how
    type Row = { id: number; sitting_id: number | null; wall_ms: number; type: string; payload: string; prev_hash: string };
    let prev = (db.prepare('SELECT hash FROM events WHERE id = 2').get() as { hash: string }).hash;
    for (const row of db.prepare('SELECT * FROM events WHERE id >= 3 ORDER BY id').all() as Row[]) {
      const hash = createHash('sha256').update(JSON.stringify([prev, row.sitting_id, row.wall_ms, row.type, row.payload])).digest('hex');
      db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, row.id);
      prev = hash;
    }
    db.close();
    rmSync(join(dir, 'abk.audit-head.json')); // and the anchor taken away, so only the seal is left
    const r = abk(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`audit log: CHANGED: .*_manifest\\.json names event ${sealedHead().event} with another hash`));
  });

  it('the audit log\'s tail deleted: CUT BACK, found by the anchor; cut back further, by the sealed manifest', () => {
    const last = lastEvent(root);
    const dir = rootCopy();
    tamper(dir, `DELETE FROM events WHERE id > ${last - 2}`);
    const r = abk(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`audit log: CUT BACK (events removed from its end): abk.audit-head.json names event ${last}, which the log no longer holds (it ends at ${last - 2})`);

    const deeper = rootCopy();
    tamper(deeper, `DELETE FROM events WHERE id >= ${sealedHead().event}`);
    rmSync(join(deeper, 'abk.audit-head.json'));
    const d = abk(['verify', deeper]);
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(new RegExp(`audit log: CUT BACK .*_manifest\\.json names event ${sealedHead().event}, which the log no longer holds`));

    // positive control: the anchor alone removed is no finding, only a note of what could then not be seen
    const bare = rootCopy();
    rmSync(join(bare, 'abk.audit-head.json'));
    const b = abk(['verify', bare]);
    expect(b.code, b.stdout).toBe(0);
    expect(b.stdout).toContain('no anchor file beside it');
  });

  it('an anchor edited by hand is not readable as one: named, exit 1', () => {
    const dir = rootCopy();
    writeFileSync(join(dir, 'abk.audit-head.json'), '{"format":"abk-abt-audit-head","head":{"event":"x"}}');
    const r = abk(['verify', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/audit log: CHANGED: abk\.audit-head\.json cannot be read/);
  });
});
