// Table layout and prepared statements of the SQLite revision log.

import type { DatabaseSync, StatementSync } from 'node:sqlite';

// `old_value` is only written by earlier versions: the previous value of a
// modification is the row at `prev_revision`, which compaction keeps as long as
// the modification is watchable. `log_key_prev`, a unique index on (key,
// prev_revision), is dropped: this process is the only writer and checks every
// compare-and-swap in memory, and the index cost a third of each commit's pages.
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
DROP INDEX IF EXISTS log_key_prev;
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
  /** Read by `history` only: the value before a modification, when still stored. */
  prev_value: string | null;
};

export type Statements = ReturnType<typeof prepareStatements>;

/** A row to append: revision, key, created, deleted, create_revision, prev_revision, value. */
export type LogInsert = [number, string, 0 | 1, 0 | 1, number, number, string];
export const insertSql = `INSERT INTO log (revision, key, created, deleted, create_revision, prev_revision, value)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

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
    listPage: s(`SELECT l.key, l.revision, l.create_revision, l.value ${latestPerKey} ORDER BY l.key LIMIT ?`),
    countFrom: s(`SELECT COUNT(*) AS n ${latestPerKey}`),
    // A modification's previous value is its prev_revision row (old_value in databases of earlier versions).
    history: s(`SELECT l.revision, l.key, l.created, l.deleted, l.value, COALESCE(l.old_value, p.value) AS prev_value
      FROM log l LEFT JOIN log p ON p.revision = l.prev_revision AND l.created = 0 AND l.deleted = 0
      WHERE l.revision > ? AND l.revision <= ? AND l.key >= ? AND l.key < ? ORDER BY l.revision LIMIT ?`),
    maxRevision: s('SELECT COALESCE(MAX(revision), 0) AS n FROM log'),
    sequence: s("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'log'), 0) AS n"),
    getMeta: s('SELECT value FROM meta WHERE name = ?'),
    setMeta: s('INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    // Rows superseded below the compact revision; the one superseded AT it stays
    // while that modification is watchable (its prevValue). Parameters: from, to, compact revision.
    compactSuperseded: s(`DELETE FROM log WHERE revision IN
      (SELECT prev_revision FROM log WHERE revision >= ? AND revision <= ? AND revision < ? AND prev_revision > 0)`),
    compactDeleted: s('DELETE FROM log WHERE deleted = 1 AND revision >= ? AND revision <= ? AND revision < ?'),
  };
}
