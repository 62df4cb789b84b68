import { it } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchema, type LogInsert } from './schema.ts';
import { Committer } from './committer.ts';

const row = (rev: number): LogInsert => [rev, `/k/${rev}`, 1, 0, rev, 0, `v${rev}`];

it('commits on the event loop while cheap, moves to the thread after two loaded windows, and keeps committing there', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-committer-'));
  const path = join(dir, 'state.db');
  const db = new DatabaseSync(path);
  createSchema(db, 'NORMAL');
  // A clock that advances only when read: each commit reads it twice.
  let clock = 0;
  let cost = 10;
  const committer = new Committer(db, path, 'NORMAL', 'auto', () => (clock += cost / 2));
  try {
    let rev = 0;
    const commitFor = async (ms: number) => {
      const until = clock + ms;
      // On the thread, commits no longer read the clock: stop when it stops too.
      while (clock < until && !committer.onThread) await committer.commit([row(++rev)]);
    };
    // A commit holds the loop for half its `cost`, then half passes before the next.
    cost = 1;
    clock += 2000; // a quiet stretch: the first window is mostly idle
    await committer.commit([row(++rev)]);
    assert.equal(committer.onThread, false);
    cost = 10;
    await commitFor(1100);
    assert.equal(committer.onThread, false, 'one loaded window does not move commits');
    await commitFor(1100);
    assert.equal(committer.onThread, true, 'two loaded windows in a row move commits to the thread');
    await committer.commit([row(++rev), row(++rev)]);
    const n = Number(db.prepare('SELECT COUNT(*) AS n FROM log').get()?.['n']);
    assert.equal(n, rev, 'every row committed on either side is in the database');
  } finally {
    await committer.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});

it('stays on the event loop when commits hold it only briefly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-committer-'));
  const path = join(dir, 'state.db');
  const db = new DatabaseSync(path);
  createSchema(db, 'NORMAL');
  let clock = 0;
  // Each commit takes 1 ms, then 98 ms pass before the next: a 1% share.
  const committer = new Committer(db, path, 'NORMAL', 'auto', () => (clock += 1));
  try {
    for (let rev = 1; rev <= 60; rev++) {
      clock += 98;
      await committer.commit([row(rev)]);
    }
    assert.ok(clock > 5000);
    assert.equal(committer.onThread, false);
  } finally {
    await committer.close();
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
});
