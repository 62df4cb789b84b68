// Watch history takes a modification's prevValue from the row it superseded,
// across compaction and restarts, and from `old_value` in databases written
// by earlier versions.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchEvent } from '../interface.ts';
import { openSqliteStorage, type SqliteStorage } from './sqlite.ts';
import { collectWatch } from '../testing/collect-watch.ts';

const replay = async (s: SqliteStorage, after: number, count: number): Promise<WatchEvent[]> => {
  const w = collectWatch(s, '/', after);
  const events = await w.waitFor(count);
  w.stop();
  return events;
};

describe('sqlite watch history', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-history-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays prevValue from the superseded row, also from right before the compact revision and after a restart', async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0 });
    await s.create('/a', 'a1'); // 1
    await s.guaranteedUpdate('/a', () => 'a2'); // 2
    await s.guaranteedUpdate('/a', () => 'a3'); // 3
    await s.create('/b', 'b1'); // 4
    await s.guaranteedUpdate('/b', () => 'b2'); // 5
    await s.delete('/a'); // 6
    await s.compact(3);
    assert.equal(s.compactedRevision(), 3);
    const expected: WatchEvent[] = [
      { type: 'MODIFIED', key: '/a', value: 'a3', prevValue: 'a2', revision: 3 },
      { type: 'ADDED', key: '/b', value: 'b1', revision: 4 },
      { type: 'MODIFIED', key: '/b', value: 'b2', prevValue: 'b1', revision: 5 },
      { type: 'DELETED', key: '/a', value: 'a3', revision: 6 },
    ];
    assert.deepEqual(await replay(s, 2, 4), expected);
    await s.close();
    const again = openSqliteStorage(path, { compactInterval: 0 });
    assert.deepEqual(await replay(again, 2, 4), expected);
    // A later compaction drops what the earlier one kept for revision 3.
    await again.compact(5);
    assert.deepEqual(await replay(again, 4, 2), expected.slice(2));
    await again.close();
  });

  it('opens a database written by the earlier layout (old_value, unique index) and keeps serving it', async () => {
    const path = join(dir, 'state.db');
    const old = new DatabaseSync(path);
    old.exec(`PRAGMA journal_mode = WAL;
      CREATE TABLE log (revision INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, created INTEGER NOT NULL,
        deleted INTEGER NOT NULL, create_revision INTEGER NOT NULL, prev_revision INTEGER NOT NULL, value TEXT NOT NULL, old_value TEXT);
      CREATE UNIQUE INDEX log_key_prev ON log (key, prev_revision);
      CREATE INDEX log_key_revision_deleted ON log (key, revision, deleted);
      CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);`);
    // /k written at 1, 2, 3 and compacted at 3: the earlier compactor removed the
    // row superseded at 3 (revision 2), so only old_value knows its value.
    const insert = old.prepare('INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(3, '/k', 0, 0, 1, 2, 'v3', 'v2');
    insert.run(4, '/j', 1, 0, 4, 0, 'j1', null);
    insert.run(5, '/j', 0, 0, 4, 4, 'j2', 'j1');
    old.exec("INSERT INTO meta VALUES ('compact_revision', 3), ('compact_done', 3), ('revision', 3)");
    old.close();

    const s = openSqliteStorage(path, { compactInterval: 0 });
    assert.equal(await s.currentRevision(), 5);
    assert.deepEqual(await replay(s, 2, 3), [
      { type: 'MODIFIED', key: '/k', value: 'v3', prevValue: 'v2', revision: 3 },
      { type: 'ADDED', key: '/j', value: 'j1', revision: 4 },
      { type: 'MODIFIED', key: '/j', value: 'j2', prevValue: 'j1', revision: 5 },
    ]);
    const k = await s.guaranteedUpdate('/k', (cur) => `${cur?.value}+`);
    assert.deepEqual(k, { key: '/k', value: 'v3+', createRevision: 1, modRevision: 6 });
    assert.deepEqual(await replay(s, 5, 1), [{ type: 'MODIFIED', key: '/k', value: 'v3+', prevValue: 'v3', revision: 6 }]);
    await s.compact(6);
    assert.deepEqual((await s.list('/')).items.map((i) => `${i.key}=${i.value}`), ['/j=j2', '/k=v3+']);
    await s.close();
    const db = new DatabaseSync(path);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log'").all().map((r) => r['name']);
    db.close();
    assert.deepEqual(indexes, ['log_key_revision_deleted']);
  });
});
