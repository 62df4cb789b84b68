// Table layout and prepared statements of the SQLite revision log.

import type { DatabaseSync, StatementSync } from 'node:sqlite';

const ddl = `
CREATE TABLE IF NOT EXISTS log (
  revision INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL,
  old_value TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS log_key_prev ON log (key, prev_revision);
DROP INDEX IF EXISTS log_key_revision;
CREATE INDEX IF NOT EXISTS log_key_revision_deleted ON log (key, revision, deleted);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
`;

/** A row as read back; booleans are stored as 0/1. */
export type LogRow = {
  revision: number;
  key: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  old_value: string | null;
};

export type Statements = ReturnType<typeof prepareStatements>;

export function createSchema(db: DatabaseSync, synchronous: 'FULL' | 'NORMAL'): void {
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${synchronous}`);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec(ddl);
}

// Latest row per key as of a revision, found per row through the (key,
// revision, deleted) index: this lets LIMIT stop early and COUNT stay in the
// index, where a GROUP BY would read every value in the range.
// Parameters: prefix, prefix end, key to start after, revision.
const latestPerKey = `FROM log l WHERE l.key >= ? AND l.key < ? AND l.key > ? AND l.deleted = 0
  AND l.revision = (SELECT MAX(m.revision) FROM log m WHERE m.key = l.key AND m.revision <= ?)`;

export function prepareStatements(db: DatabaseSync) {
  const s = (sql: string): StatementSync => db.prepare(sql);
  return {
    latest: s('SELECT revision, deleted, create_revision, value FROM log WHERE key = ? ORDER BY revision DESC LIMIT 1'),
    insert: s(`INSERT INTO log (revision, key, created, deleted, create_revision, prev_revision, value, old_value)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
    listPage: s(`SELECT l.key, l.revision, l.create_revision, l.value ${latestPerKey} ORDER BY l.key LIMIT ?`),
    countFrom: s(`SELECT COUNT(*) AS n ${latestPerKey}`),
    history: s(`SELECT revision, key, created, deleted, value, old_value FROM log
      WHERE revision > ? AND revision <= ? AND key >= ? AND key < ? ORDER BY revision LIMIT ?`),
    maxRevision: s('SELECT COALESCE(MAX(revision), 0) AS n FROM log'),
    sequence: s("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'log'), 0) AS n"),
    getMeta: s('SELECT value FROM meta WHERE name = ?'),
    setMeta: s('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    compactSuperseded: s(`DELETE FROM log WHERE revision IN
      (SELECT prev_revision FROM log WHERE revision > ? AND revision <= ? AND prev_revision > 0)`),
    compactDeleted: s('DELETE FROM log WHERE deleted = 1 AND revision >= ? AND revision <= ? AND revision < ?'),
  };
}
