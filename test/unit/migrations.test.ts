import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../src/engine/db/database.js';
import { MIGRATIONS } from '../../src/engine/db/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'abk-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: ReturnType<typeof openDatabase>): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name").all() as { name: string }[]).map((r) => r.name);

describe('the database', () => {
  it('opens in WAL with synchronous=FULL and foreign keys on', () => {
    const db = openDatabase(join(dir, 'a.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('runs every migration once, and again changes nothing', () => {
    const path = join(dir, 'b.sqlite');
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const before = tables(db);
    db.close();
    const again = openDatabase(path);
    expect(tables(again)).toEqual(before);
    again.close();
  });

  it('refuses a database from a newer version instead of damaging it', () => {
    const path = join(dir, 'c.sqlite');
    openDatabase(path).close();
    expect(() => openDatabase(path, MIGRATIONS.slice(0, 0))).toThrow(/newer than this program knows/);
  });
});

describe('migration 1', () => {
  const db = openDatabase(':memory:', MIGRATIONS.slice(0, 1));
  it('creates the sittings, segments, marks and the append-only audit log', () => {
    expect(tables(db)).toEqual(expect.arrayContaining(['sittings', 'segments', 'marks', 'events', 'events_no_update', 'events_no_delete', 'marks_no_update', 'marks_no_delete']));
    expect(schemaVersion(db)).toBe(1);
  });
  it('refuses to change or delete an event or a mark', () => {
    db.prepare("INSERT INTO events (wall_ms, type, payload, prev_hash, hash) VALUES (1, 't', '{}', 'a', 'b')").run();
    expect(() => db.prepare('UPDATE events SET type = ?').run('x')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });
  it('keeps segments and marks tied to an existing sitting', () => {
    expect(() => db.prepare("INSERT INTO marks (sitting_id, kind, at_sample, wall_ms, created_ms) VALUES (99, 'note', 0, 1, 1)").run()).toThrow(/FOREIGN KEY/);
  });
});

describe('migration 2', () => {
  it('adds drafts of sittings on top of a database of schema 1, keeping its rows', () => {
    const db = openDatabase(':memory:', MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO sittings (base, state, fields, case_number, language, created_ms) VALUES ('b', 'draft', '{}', 'c', 'kk', 1)").run();
    db.close();
    const path = join(dir, 'd.sqlite');
    openDatabase(path, MIGRATIONS.slice(0, 1)).close();
    const upgraded = openDatabase(path, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(upgraded)).toBe(2);
    upgraded.prepare("INSERT INTO drafts (fields, updated_ms) VALUES ('{\"caseNumber\":\"x\"}', 1)").run();
    expect(tables(upgraded)).toEqual(expect.arrayContaining(['sittings', 'drafts']));
    upgraded.close();
  });
});

describe('migration 3', () => {
  it('adds the replication outbox on top of schema 2, one job per file per server', () => {
    const path = join(dir, 'r.sqlite');
    const old = openDatabase(path, MIGRATIONS.slice(0, 2));
    old.prepare("INSERT INTO drafts (fields, updated_ms) VALUES ('{}', 1)").run();
    old.close();
    const db = openDatabase(path, MIGRATIONS.slice(0, 3));
    expect(schemaVersion(db)).toBe(3);
    expect((db.prepare('SELECT count(*) AS n FROM drafts').get() as { n: number }).n).toBe(1);
    const add = db.prepare("INSERT INTO replication_jobs (server, rel_dir, file, bytes, md5, state, next_ms, created_ms) VALUES (?, '2026/c/b', 'f.wav', 1, 'x', ?, 0, 1)");
    add.run('primary', 'pending');
    add.run('reserve', 'pending');
    expect(() => add.run('primary', 'pending')).toThrow(/UNIQUE/);
    expect(() => add.run('third', 'sent')).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 4', () => {
  it('keeps each finished sitting\'s folder in its row, filled from the last "finalized" event of a database of schema 3', () => {
    const path = join(dir, 'f.sqlite');
    const old = openDatabase(path, MIGRATIONS.slice(0, 3));
    const add = old.prepare("INSERT INTO sittings (id, base, state, fields, case_number, language, created_ms) VALUES (?, ?, ?, '{}', 'c', 'kk', 1)");
    add.run(1, 'finished', 'finalized');
    add.run(2, 'recording', 'recording');
    const event = old.prepare("INSERT INTO events (sitting_id, wall_ms, type, payload, prev_hash, hash) VALUES (?, 1, ?, ?, 'p', 'h')");
    event.run(1, 'state', JSON.stringify({ from: 'finalizing', to: 'finalized', finalDir: '/rec/2026/c/first' }));
    event.run(1, 'state', JSON.stringify({ from: 'finalizing', to: 'finalized', finalDir: '/rec/2026/c/finished' })); // finalized again: the last counts
    event.run(1, 'protocol', JSON.stringify({ finalDir: '/elsewhere' })); // not a state change
    event.run(2, 'state', JSON.stringify({ from: 'ready', to: 'recording', dir: '/rec/.work/recording' }));
    old.close();
    const db = openDatabase(path, MIGRATIONS.slice(0, 4));
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT id, final_dir FROM sittings ORDER BY id').all()).toEqual([{ id: 1, final_dir: '/rec/2026/c/finished' }, { id: 2, final_dir: null }]);
    db.close();
  });
});
