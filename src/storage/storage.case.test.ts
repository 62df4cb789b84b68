// The behaviour every Storage backend must have. Each backend's test file
// calls runStorageCases with a factory for a fresh, empty store.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Storage } from './interface.ts';
import { isStorageError, StorageErrorCode } from './interface.ts';
import { collectWatch } from './testing/collect-watch.ts';

export type OpenStorage = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;

export function runStorageCases(name: string, open: OpenStorage): void {
  describe(`Storage cases: ${name}`, () => {
    let s: Storage;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ storage: s, cleanup } = await open());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('creates, gets and refuses to create twice', async () => {
      const kv = await s.create('/r/a', 'v1');
      assert.equal(kv.value, 'v1');
      assert.equal(kv.createRevision, kv.modRevision);
      assert.deepEqual(await s.get('/r/a'), kv);
      assert.equal(await s.get('/r/missing'), undefined);
      await assert.rejects(s.create('/r/a', 'v2'), (e) => isStorageError(e, StorageErrorCode.KeyExists));
      assert.equal((await s.get('/r/a'))?.value, 'v1');
    });

    it('gives every write the next global revision', async () => {
      const before = await s.currentRevision();
      const a = await s.create('/r/a', '1');
      const b = await s.create('/other/b', '2');
      const a2 = await s.guaranteedUpdate('/r/a', () => '3');
      const d = await s.delete('/other/b');
      const revs = [a.modRevision, b.modRevision, a2.modRevision, d.modRevision];
      assert.ok(revs[0]! > before);
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i]! > revs[i - 1]!, `revisions ${revs.join(',')}`);
      assert.equal(a2.createRevision, a.createRevision);
      assert.equal(await s.currentRevision(), d.modRevision);
    });

    it('concurrent creates all get distinct revisions', async () => {
      const kvs = await Promise.all(Array.from({ length: 50 }, (_, i) => s.create(`/c/${i}`, String(i))));
      assert.equal(new Set(kvs.map((k) => k.modRevision)).size, 50);
      assert.equal(await s.count('/c/'), 50);
    });

    it('guaranteedUpdate loses no update under concurrency', async () => {
      await s.create('/n', '0');
      const n = 25;
      await Promise.all(
        Array.from({ length: n }, async () =>
          s.guaranteedUpdate('/n', async (cur) => {
            await new Promise((r) => setImmediate(r));
            return String(Number(cur?.value) + 1);
          }),
        ),
      );
      assert.equal((await s.get('/n'))?.value, String(n));
    });

    it('guaranteedUpdate creates a missing key and honours expectedModRevision', async () => {
      const seen: (string | undefined)[] = [];
      const kv = await s.guaranteedUpdate('/u', (cur) => {
        seen.push(cur?.value);
        return 'new';
      });
      assert.deepEqual(seen, [undefined]);
      assert.equal(kv.createRevision, kv.modRevision);
      await assert.rejects(
        s.guaranteedUpdate('/u', () => 'x', { expectedModRevision: kv.modRevision - 1 }),
        (e) => isStorageError(e, StorageErrorCode.Conflict),
      );
      const ok = await s.guaranteedUpdate('/u', () => 'x', { expectedModRevision: kv.modRevision });
      assert.equal(ok.value, 'x');
      // An unchanged value writes nothing.
      const same = await s.guaranteedUpdate('/u', () => 'x');
      assert.equal(same.modRevision, ok.modRevision);
      assert.equal(await s.currentRevision(), ok.modRevision);
      // A throwing tryUpdate aborts.
      await assert.rejects(
        s.guaranteedUpdate('/u', () => {
          throw new Error('refused');
        }),
        /refused/,
      );
      assert.equal((await s.get('/u'))?.value, 'x');
    });

    it('delete returns the last value, honours preconditions and fails on missing keys', async () => {
      const kv = await s.create('/d', 'v');
      await assert.rejects(
        s.delete('/d', () => {
          throw new Error('no');
        }),
        /no/,
      );
      assert.equal((await s.get('/d'))?.value, 'v');
      await assert.rejects(s.delete('/d', undefined, { expectedModRevision: kv.modRevision + 100 }), (e) =>
        isStorageError(e, StorageErrorCode.Conflict),
      );
      const del = await s.delete('/d');
      assert.equal(del.value, 'v');
      assert.ok(del.modRevision > kv.modRevision);
      assert.equal(await s.get('/d'), undefined);
      await assert.rejects(s.delete('/d'), (e) => isStorageError(e, StorageErrorCode.KeyNotFound));
      const again = await s.create('/d', 'v2');
      assert.ok(again.createRevision > del.modRevision);
    });

    it('lists by prefix in key order without leaking neighbouring prefixes', async () => {
      for (const k of ['/a/2', '/ab/1', '/a/1', '/a', '/b/1', '/a/3']) await s.create(k, k);
      await s.delete('/a/3');
      const res = await s.list('/a/');
      assert.deepEqual(res.items.map((i) => i.key), ['/a/1', '/a/2']);
      assert.equal(res.revision, await s.currentRevision());
      assert.equal(res.continue, undefined);
      assert.equal(await s.count('/a/'), 2);
      assert.equal(await s.count('/ab/'), 1);
      assert.equal(await s.count('/zz/'), 0);
    });

    it('pages with limit/continue over one snapshot despite concurrent writes', async () => {
      for (let i = 0; i < 10; i++) await s.create(`/p/${i}`, `v${i}`);
      const first = await s.list('/p/', { limit: 4 });
      assert.deepEqual(first.items.map((i) => i.key), ['/p/0', '/p/1', '/p/2', '/p/3']);
      assert.ok(first.continue);
      assert.equal(first.remainingItemCount, 6);
      // Writes after the first page must not show in later pages.
      await s.delete('/p/5');
      await s.guaranteedUpdate('/p/6', () => 'changed');
      await s.create('/p/55', 'new');
      const keys = first.items.map((i) => i.key);
      const values: string[] = [];
      let token: string | undefined = first.continue;
      while (token) {
        const page = await s.list('/p/', { limit: 4, continue: token });
        assert.equal(page.revision, first.revision);
        keys.push(...page.items.map((i) => i.key));
        values.push(...page.items.map((i) => i.value));
        token = page.continue;
      }
      assert.deepEqual(keys, Array.from({ length: 10 }, (_, i) => `/p/${i}`));
      assert.ok(values.includes('v6') && !values.includes('changed'));
      await assert.rejects(s.list('/p/', { continue: 'garbage!' }), (e) => isStorageError(e, StorageErrorCode.InvalidContinue));
    });

    it('lists at an older revision', async () => {
      await s.create('/o/a', '1');
      const mid = await s.create('/o/b', '1');
      await s.guaranteedUpdate('/o/a', () => '2');
      await s.delete('/o/b');
      await s.create('/o/c', '1');
      const old = await s.list('/o/', { revision: mid.modRevision });
      assert.equal(old.revision, mid.modRevision);
      assert.deepEqual(old.items.map((i) => [i.key, i.value]), [['/o/a', '1'], ['/o/b', '1']]);
      const now = await s.list('/o/');
      assert.deepEqual(now.items.map((i) => [i.key, i.value]), [['/o/a', '2'], ['/o/c', '1']]);
    });

    it('watch from 0 replays everything, then streams live events', async () => {
      const a = await s.create('/w/a', '1');
      await s.create('/x/ignored', '1');
      await s.guaranteedUpdate('/w/a', () => '2');
      const w = collectWatch(s, '/w/', 0);
      await w.waitFor(2);
      await s.delete('/w/a');
      await s.create('/w/b', '1');
      const evs = await w.waitFor(4);
      w.stop();
      assert.deepEqual(evs.map((e) => [e.type, e.key, e.value]), [
        ['ADDED', '/w/a', '1'],
        ['MODIFIED', '/w/a', '2'],
        ['DELETED', '/w/a', '2'],
        ['ADDED', '/w/b', '1'],
      ]);
      assert.equal(evs[0]!.revision, a.modRevision);
      const mod = evs[1]!;
      assert.ok(mod.type === 'MODIFIED' && mod.prevValue === '1');
    });

    it('watch from a middle revision replays exactly the later events', async () => {
      await s.create('/m/a', '1');
      const mid = await s.create('/m/b', '1');
      await s.create('/m/c', '1');
      await s.guaranteedUpdate('/m/a', () => '2');
      const w = collectWatch(s, '/m/', mid.modRevision);
      await s.create('/m/d', '1');
      const evs = await w.waitFor(3);
      await new Promise((r) => setTimeout(r, 20));
      w.stop();
      assert.deepEqual(w.events.map((e) => [e.type, e.key]), [
        ['ADDED', '/m/c'],
        ['MODIFIED', '/m/a'],
        ['ADDED', '/m/d'],
      ]);
      assert.ok(evs.every((e) => e.revision > mid.modRevision));
    });

    it('watch delivers concurrent writes in revision order with no gap or duplicate', async () => {
      const start = await s.currentRevision();
      const w = collectWatch(s, '/q/', start);
      const writes = Array.from({ length: 40 }, (_, i) => s.create(`/q/${i % 10}/${i}`, String(i)));
      writes.push(...Array.from({ length: 10 }, (_, i) => s.create(`/other/${i}`, 'x')));
      await Promise.all(writes);
      const evs = await w.waitFor(40);
      w.stop();
      const revs = evs.map((e) => e.revision);
      assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
      assert.equal(new Set(revs).size, 40);
      assert.ok(evs.every((e) => e.key.startsWith('/q/')));
    });

    it('a watch opened while writes are in flight sees each later write exactly once', async () => {
      const writes: Promise<{ modRevision: number }>[] = [];
      for (let i = 0; i < 60; i++) writes.push(s.create(`/r/${i}`, String(i)));
      await new Promise((r) => setImmediate(r));
      const from = await s.currentRevision();
      const w = collectWatch(s, '/r/', from);
      for (let i = 60; i < 90; i++) writes.push(s.create(`/r/${i}`, String(i)));
      const done = await Promise.all(writes);
      const expected = done.map((kv) => kv.modRevision).filter((r) => r > from).sort((a, b) => a - b);
      assert.ok(expected.length >= 30);
      await w.waitFor(expected.length);
      await new Promise((r) => setTimeout(r, 20));
      w.stop();
      assert.deepEqual(w.events.map((e) => e.revision), expected);
    });

    it('stopped watchers get no more events', async () => {
      const w = collectWatch(s, '/s/', await s.currentRevision());
      await s.create('/s/1', '1');
      await w.waitFor(1);
      w.stop();
      await s.create('/s/2', '1');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(w.events.length, 1);
    });

    it('after compaction, old revisions are TooOld and recent ones still work', async () => {
      await s.create('/k/a', '1');
      await s.guaranteedUpdate('/k/a', () => '2');
      const old = await s.currentRevision();
      await s.create('/k/b', '1');
      await s.delete('/k/b');
      await s.guaranteedUpdate('/k/a', () => '3');
      const keep = await s.create('/k/c', '1');
      await s.compact(keep.modRevision);
      assert.equal(s.compactedRevision(), keep.modRevision);
      await assert.rejects(s.list('/k/', { revision: old }), (e) => isStorageError(e, StorageErrorCode.TooOld));
      const err = await new Promise<Error>((resolve) => {
        s.watch('/k/', old, { onEvents: () => resolve(new Error('unexpected events')), onError: resolve });
      });
      assert.ok(isStorageError(err, StorageErrorCode.TooOld));
      assert.equal(err.revision, keep.modRevision);
      const now = await s.list('/k/', { revision: keep.modRevision });
      assert.deepEqual(now.items.map((i) => [i.key, i.value]), [['/k/a', '3'], ['/k/c', '1']]);
      const w = collectWatch(s, '/k/', keep.modRevision - 1);
      const evs = await w.waitFor(1);
      w.stop();
      assert.deepEqual(evs.map((e) => [e.type, e.key]), [['ADDED', '/k/c']]);
      const next = await s.create('/k/d', '1');
      assert.ok(next.modRevision > keep.modRevision);
    });

    it('a continue token from before a compaction is TooOld', async () => {
      for (let i = 0; i < 4; i++) await s.create(`/t/${i}`, '1');
      const page = await s.list('/t/', { limit: 2 });
      await s.guaranteedUpdate('/t/0', () => '2');
      await s.compact(await s.currentRevision());
      await assert.rejects(s.list('/t/', { limit: 2, continue: page.continue! }), (e) =>
        isStorageError(e, StorageErrorCode.TooOld),
      );
    });
  });
}
