/**
 * Numbered schema migrations. A database's `user_version` says how many have
 * run; each runs once, in its own transaction. Append new ones; never edit one
 * that has shipped (each has its own test in test/unit/migrations.test.ts).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: sittings, their people and evidence, segments, marks, and the audit log
  `
  CREATE TABLE sittings (
    id            INTEGER PRIMARY KEY,
    base          TEXT NOT NULL UNIQUE,
    state         TEXT NOT NULL,
    fields        TEXT NOT NULL,            -- JSON, SittingFields
    case_number   TEXT NOT NULL,
    language      TEXT NOT NULL,
    dir           TEXT,
    sample_rate   INTEGER,
    zero_wall_ms  INTEGER,
    started_ms    INTEGER,
    stopped_ms    INTEGER,
    created_ms    INTEGER NOT NULL
  );
  CREATE INDEX sittings_case ON sittings(case_number);

  CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    sitting_id    INTEGER NOT NULL REFERENCES sittings(id),
    kind          TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
    file          TEXT NOT NULL,
    source        TEXT NOT NULL,            -- microphone stem or camera id
    take          INTEGER NOT NULL,
    idx           INTEGER NOT NULL,
    start_sample  INTEGER NOT NULL,         -- on the sitting's timeline
    frames        INTEGER NOT NULL,         -- audio frames, or video frames
    bytes         INTEGER NOT NULL,
    md5           TEXT,
    sha256        TEXT,
    UNIQUE (sitting_id, file)
  );

  CREATE TABLE marks (
    id            INTEGER PRIMARY KEY,
    sitting_id    INTEGER NOT NULL REFERENCES sittings(id),
    kind          TEXT NOT NULL,
    at_sample     INTEGER NOT NULL,
    wall_ms       INTEGER NOT NULL,
    seat          TEXT,
    participant   TEXT,
    text          TEXT,
    corrects_id   INTEGER REFERENCES marks(id),   -- a correction keeps the original
    created_ms    INTEGER NOT NULL
  );
  CREATE INDEX marks_sitting ON marks(sitting_id, at_sample);

  -- Append-only and hash-chained: each row's hash covers the previous hash and the row.
  CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    sitting_id    INTEGER REFERENCES sittings(id),
    wall_ms       INTEGER NOT NULL,
    type          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
  );
  CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER marks_no_update BEFORE UPDATE ON marks BEGIN SELECT RAISE(ABORT, 'marks are corrected by a new mark, never changed'); END;
  CREATE TRIGGER marks_no_delete BEFORE DELETE ON marks BEGIN SELECT RAISE(ABORT, 'marks are corrected by a new mark, never deleted'); END;
  `,
  // 2: drafts of sittings, kept as typed (checked only when the sitting is opened)
  `
  CREATE TABLE drafts (
    id            INTEGER PRIMARY KEY,
    fields        TEXT NOT NULL,            -- JSON, any part of SittingFields
    updated_ms    INTEGER NOT NULL
  );
  `,
  // 3: the replication outbox: one job per file of a finished sitting per server
  `
  CREATE TABLE replication_jobs (
    id            INTEGER PRIMARY KEY,
    server        TEXT NOT NULL,            -- replication.servers[].id
    rel_dir       TEXT NOT NULL,            -- the sitting's folder below the recordings root, '/'-separated
    file          TEXT NOT NULL,
    bytes         INTEGER NOT NULL,
    md5           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'verified')),
    attempts      INTEGER NOT NULL DEFAULT 0,   -- failures since the last success
    next_ms       INTEGER NOT NULL,             -- not tried before this time
    last_error    TEXT,
    sent_bytes    INTEGER NOT NULL DEFAULT 0,   -- bytes put on the wire for this file, all attempts
    verified_ms   INTEGER,
    created_ms    INTEGER NOT NULL,
    UNIQUE (server, rel_dir, file)
  );
  CREATE INDEX replication_due ON replication_jobs(server, state, next_ms);
  CREATE INDEX replication_dir ON replication_jobs(rel_dir);
  `,
  // 4: the finished folder of a sitting, kept in its row (the library reads it there, not from a working folder
  // removed after finalize); filled for sittings finalized before from their audit log's last 'finalized' event
  `
  ALTER TABLE sittings ADD COLUMN final_dir TEXT;
  UPDATE sittings SET final_dir = (
    SELECT json_extract(e.payload, '$.finalDir') FROM events e
    WHERE e.sitting_id = sittings.id AND e.type = 'state' AND json_extract(e.payload, '$.to') = 'finalized'
    ORDER BY e.id DESC LIMIT 1);
  `,
  // 5: a sitting's events of one kind found without reading the whole log (its checks, the copies issued, in every detail)
  `
  CREATE INDEX events_sitting_type ON events(sitting_id, type);
  `,
];
