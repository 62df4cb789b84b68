import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { runStorageCases } from '../storage.case.test.ts';
import { isStorageError, StorageErrorCode } from '../interface.ts';
import { collectWatch } from '../testing/collect-watch.ts';
import { Cacher, cacherOptionsFor } from '../cacher/cacher.ts';
import { EtcdStorage, openEtcdStorage } from './etcd.ts';
import { etcdMissing, startEtcd, type EtcdCluster } from './testing/etcd-process.ts';

const missing = etcdMissing();
if (missing) console.log(`skipping etcd storage tests: ${missing}`);

// Every case gets a fresh etcd; the next one starts while the current case runs.
let next: Promise<EtcdCluster> | undefined;
const fresh = (): Promise<EtcdCluster> => {
  const c = next ?? startEtcd();
  next = startEtcd();
  return c;
};
after(async () => {
  const last = next;
  next = undefined;
  if (last) await (await last).cleanup();
});

if (!missing) {
  runStorageCases('etcd', async () => {
    const cluster = await fresh();
    const storage = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0 });
    return {
      storage,
      async cleanup() {
        await storage.close();
        await cluster.cleanup();
      },
    };
  });
}

describe('etcd storage specifics', { skip: missing }, () => {
  let cluster: EtcdCluster;
  let s: EtcdStorage;
  before(async () => {
    cluster = await fresh();
    s = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0, compactWindow: 2 });
  });
  after(async () => {
    await s?.close();
    await cluster?.cleanup();
  });

  it('progressRevision waits until the shared watch has delivered the latest write', async () => {
    const w = collectWatch(s, '/prog/', await s.currentRevision());
    const kv = await s.create('/prog/a', '1');
    await s.create('/elsewhere/b', '1');
    const reached = await s.progressRevision();
    assert.ok(reached >= kv.modRevision + 1);
    // Delivery to the watcher has already happened when progress resolves.
    assert.deepEqual(w.events.map((e) => e.key), ['/prog/a']);
    w.stop();
  });

  it('a watcher starting before the buffered window still gets exactly its events', async () => {
    const small = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0, watchBufferSize: 2 });
    try {
      const from = await small.currentRevision();
      const live = collectWatch(small, '/buf/', from);
      for (let i = 0; i < 6; i++) await small.create(`/buf/${i}`, String(i));
      await live.waitFor(6);
      // Starts before the 2-event buffer: the feed restarts from there, the first watcher sees no duplicate.
      const late = collectWatch(small, '/buf/', from + 1);
      await late.waitFor(5);
      await small.create('/buf/6', '6');
      await live.waitFor(7);
      await late.waitFor(6);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(live.events.map((e) => e.key), ['/buf/0', '/buf/1', '/buf/2', '/buf/3', '/buf/4', '/buf/5', '/buf/6']);
      assert.deepEqual(late.events.map((e) => e.key), ['/buf/1', '/buf/2', '/buf/3', '/buf/4', '/buf/5', '/buf/6']);
      live.stop();
      late.stop();
    } finally {
      await small.close();
    }
  });

  it('two storages on one cluster see each other: same revisions, cross-process watch', async () => {
    const other = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0 });
    try {
      const w = collectWatch(other, '/x/', await other.currentRevision());
      const kv = await s.create('/x/1', 'a');
      const evs = await w.waitFor(1);
      assert.equal(evs[0]!.revision, kv.modRevision);
      assert.deepEqual(await other.get('/x/1'), kv);
      // A conflicting update through the other store retries on the fresh value.
      await other.guaranteedUpdate('/x/1', (cur) => `${cur!.value}b`);
      const up = await s.guaranteedUpdate('/x/1', (cur) => `${cur!.value}c`);
      assert.equal(up.value, 'abc');
      w.stop();
    } finally {
      await other.close();
    }
  });

  it('periodic compaction keeps the window and tells the other servers', async () => {
    const other = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0, compactWindow: 2 });
    try {
      for (let i = 0; i < 5; i++) await s.create(`/pc/${i}`, '1');
      await s.compactNow(); // records the first target
      const mark = await s.currentRevision();
      await s.create('/pc/x', '1');
      await s.create('/pc/y', '1');
      await s.create('/pc/z', '1');
      await s.compactNow();
      assert.equal(s.compactedRevision(), mark);
      await assert.rejects(s.list('/pc/', { revision: mark - 1 }), (e) => isStorageError(e, StorageErrorCode.TooOld));
      await other.compactNow();
      assert.equal(other.compactedRevision(), mark);
    } finally {
      await other.close();
    }
  });

  it('a watch cache over another server\'s storage is consistent after waitForRevision', async () => {
    const other = await openEtcdStorage({ endpoints: cluster.endpoints, compactInterval: 0 });
    const cache = new Cacher<string>(other, '/cache/', (kv) => kv.value, cacherOptionsFor(other));
    const quiet = new Cacher<string>(other, '/quiet/', (kv) => kv.value, cacherOptionsFor(other));
    try {
      await cache.start();
      await quiet.start();
      for (let round = 1; round <= 5; round++) {
        await Promise.all(Array.from({ length: 100 }, (_, i) => s.create(`/cache/${round}/${i}`, 'x'.repeat(2000))));
        // What a list without resourceVersion does: wait for the latest revision, then read the cache.
        await cache.waitForRevision(await other.currentRevision(), 3000);
        assert.equal(cache.list('/cache/').items.length, round * 100);
      }
      // No event ever reaches this prefix; progress still moves its revision on.
      const rev = await s.currentRevision();
      await quiet.waitForRevision(rev, 3000);
      assert.ok(quiet.revision >= rev);
    } finally {
      cache.stop();
      quiet.stop();
      await other.close();
    }
  });

  it('fails with Unavailable within the request timeout when no member answers', async () => {
    const unreachable = new EtcdStorage({ endpoints: ['127.0.0.1:1'], compactInterval: 0, requestTimeoutMs: 800 });
    const t0 = Date.now();
    await assert.rejects(unreachable.create('/u', '1'), (e) => isStorageError(e, StorageErrorCode.Unavailable));
    await assert.rejects(unreachable.get('/u'), (e) => isStorageError(e, StorageErrorCode.Unavailable));
    // Two timeouts of 800 ms, with room for a slow machine: the point is that neither waits forever.
    assert.ok(Date.now() - t0 < 2 * 800 + 2000, `took ${Date.now() - t0} ms`);
    await unreachable.close();
  });
});
