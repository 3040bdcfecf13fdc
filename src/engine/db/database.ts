import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (or creates) the appliance database: WAL so readers never block the
 * writer, synchronous=FULL so a committed transaction survives a power cut,
 * foreign keys on, and every pending migration applied.
 */
export function openDatabase(path: string, migrations: readonly string[] = MIGRATIONS): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, migrations: readonly string[]): void {
  const from = schemaVersion(db);
  if (from > migrations.length) {
    db.close();
    throw new Error(`the database is of schema ${from}, newer than this program knows (${migrations.length}): install the newer ABK ABT version, never an older one over it`);
  }
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** An appliance's database, in its recordings root. */
export const DATABASE_FILE = 'abk.sqlite';

/** A database opened to be read only (`abk verify`): nothing is migrated or written; a copy on read-only media opens too. */
export function openReadOnly(path: string): Db {
  return new Database(path, { readonly: true, fileMustExist: true });
}
