import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageCases } from '../storage.case.test.ts';
import { openSqliteStorage } from './sqlite.ts';
import { collectWatch } from '../testing/collect-watch.ts';

for (const commitPlace of ['event-loop', 'thread'] as const) {
  runStorageCases(`sqlite (commits on the ${commitPlace})`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
    const storage = openSqliteStorage(join(dir, 'state.db'), { compactInterval: 0, commitPlace });
    return {
      storage,
      async cleanup() {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });
}

describe('sqlite storage specifics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-sqlite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const rows = (path: string) => {
    const db = new DatabaseSync(path);
    try {
      return Number(db.prepare('SELECT COUNT(*) AS n FROM log').get()?.['n']);
    } finally {
      db.close();
    }
  };

  it('compaction removes superseded rows and deletion markers, and revisions stay monotonic across restarts', async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0 });
    await s.create('/a', '1');
    await s.guaranteedUpdate('/a', () => '2');
    await s.create('/b', '1');
    const del = await s.delete('/b');
    await s.compact(del.modRevision + 1);
    assert.equal(s.compactedRevision(), del.modRevision);
    await s.close();
    // The row superseded at the compact revision stays until the next compaction (see compactSuperseded).
    assert.equal(rows(path), 3, 'the latest row of /a, the deletion marker at the compact revision and the /b row it superseded');
    const again = openSqliteStorage(path, { compactInterval: 0 });
    assert.equal(await again.currentRevision(), del.modRevision);
    assert.equal(again.compactedRevision(), del.modRevision);
    const next = await again.create('/b', 'again');
    assert.equal(next.modRevision, del.modRevision + 1);
    assert.equal((await again.get('/a'))?.value, '2');
    const gone = await again.delete('/b');
    await again.create('/c', '1');
    await again.compact(gone.modRevision + 1);
    await again.close();
    assert.equal(rows(path), 2, 'both rows of /b are gone');
    const third = openSqliteStorage(path, { compactInterval: 0 });
    assert.equal(await third.currentRevision(), gone.modRevision + 1);
    await third.close();
  });

  it('periodic compaction keeps both the revision window and the time window', async () => {
    const path = join(dir, 'state.db');
    let now = 1_000_000;
    const s = openSqliteStorage(path, { compactInterval: 0, compactWindow: 5, compactMinAge: 60_000, clock: { now: () => now } });
    for (let i = 0; i < 20; i++) await s.guaranteedUpdate('/k', () => String(i));
    await s.compactNow();
    assert.equal(s.compactedRevision(), 0, 'history younger than the minimum age is kept');
    now += 61_000;
    for (let i = 0; i < 20; i++) await s.guaranteedUpdate('/k', () => `x${i}`);
    await s.compactNow();
    // Revision 20 was current 61 s ago; the window alone would allow 35.
    assert.equal(s.compactedRevision(), 20);
    now += 61_000;
    await s.compactNow();
    assert.equal(s.compactedRevision(), 35);
    await s.close();
    assert.equal(rows(path), 7, 'revisions 35 to 40, and 34 that 35 superseded');
  });

  it('reopening keeps data and watch history', async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0 });
    await s.create('/a', '1');
    await s.guaranteedUpdate('/a', () => '2');
    await s.close();
    const again = openSqliteStorage(path, { compactInterval: 0 });
    const w = collectWatch(again, '/', 0);
    const evs = await w.waitFor(2);
    w.stop();
    assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'MODIFIED']);
    await again.close();
  });
  it('after a reopen, keys written before are read from the log: updated, deleted, created again', async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0 });
    await s.create('/live', '1');
    await s.create('/gone', 'x');
    await s.delete('/gone');
    await s.close();
    const again = openSqliteStorage(path, { compactInterval: 0 });
    assert.equal((await again.get('/live'))?.value, '1');
    assert.equal((await again.guaranteedUpdate('/live', () => '2')).value, '2');
    await assert.rejects(again.create('/live', '3'), /already exists/);
    assert.equal(await again.get('/gone'), undefined);
    const recreated = await again.create('/gone', 'y');
    assert.equal(await again.get('/never'), undefined);
    const w = collectWatch(again, '/gone', 0);
    const evs = await w.waitFor(3);
    w.stop();
    assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'DELETED', 'ADDED']);
    assert.equal(evs[2]!.revision, recreated.modRevision);
    await again.close();
  });

  for (const commitPlace of ['event-loop', 'thread'] as const) {
  it(`close commits and acknowledges the writes queued and in flight before it (commits on the ${commitPlace})`, async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0, commitPlace });
    const writes = Array.from({ length: 50 }, (_, i) => s.create(`/k/${i}`, `v${i}`));
    await s.close();
    const results = await Promise.allSettled(writes);
    assert.deepEqual(results.filter((r) => r.status !== 'fulfilled'), []);
    await assert.rejects(s.create('/late', 'x'), /storage is closed/);
    const again = openSqliteStorage(path, { compactInterval: 0 });
    const listed = await again.list('/k/');
    assert.equal(listed.items.length, 50);
    assert.equal(listed.revision, 50);
    await again.close();
  });

  it(`a batch that fails to commit leaves the remembered latest values as committed (commits on the ${commitPlace})`, async () => {
    const path = join(dir, 'state.db');
    const s = openSqliteStorage(path, { compactInterval: 0, commitPlace });
    const a = await s.create('/a', '1');
    // Another connection makes one insert of the next batch fail, so the whole batch rolls back.
    const other = new DatabaseSync(path);
    other.exec(`CREATE TRIGGER boom BEFORE INSERT ON log WHEN NEW.value = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const results = await Promise.allSettled([s.guaranteedUpdate('/a', () => '2'), s.create('/b', 'boom')]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.deepEqual(await s.get('/a'), a);
    assert.equal(await s.get('/b'), undefined);
    other.exec('DROP TRIGGER boom');
    other.close();
    const updated = await s.guaranteedUpdate('/a', (cur) => `${cur?.value}+`);
    assert.equal(updated.value, '1+');
    await s.delete('/a');
    assert.equal(await s.get('/a'), undefined);
    await s.compact(await s.currentRevision());
    const again = await s.create('/a', 'new');
    assert.equal((await s.get('/a'))?.value, 'new');
    assert.equal((await s.get('/a'))?.createRevision, again.modRevision);
    await s.close();
  });
}
});
