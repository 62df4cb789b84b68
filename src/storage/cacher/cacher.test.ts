import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValue, Storage, WatchHandler } from '../interface.ts';
import { isStorageError, StorageErrorCode } from '../interface.ts';
import { openSqliteStorage, type SqliteStorage } from '../sqlite/sqlite.ts';
import { Cacher, type CacheWatchEvent } from './cacher.ts';

type Obj = { metadata: { name: string; resourceVersion?: string; labels?: Record<string, string> } };

const decode = (kv: KeyValue): Obj => {
  const o = JSON.parse(kv.value) as Obj;
  o.metadata.resourceVersion = String(kv.modRevision);
  return o;
};
const obj = (name: string, labels: Record<string, string> = {}) => JSON.stringify({ metadata: { name, labels } });
const P = '/registry/pods/';

function record(c: Cacher<Obj>, prefix: string, after: number, filter: (o: Obj) => boolean = () => true) {
  const events: CacheWatchEvent<Obj>[] = [];
  let error: Error | undefined;
  const w = c.watch(prefix, after, filter, {
    onEvent: (ev) => events.push(ev),
    onError: (err) => {
      error = err;
    },
  });
  return {
    events,
    get error() {
      return error;
    },
    stop: () => w.stop(),
    summary: () => events.map((e) => `${e.type} ${e.object.metadata.name}@${e.object.metadata.resourceVersion}`),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 10));

describe('Cacher', () => {
  let dir: string;
  let s: SqliteStorage;
  let c: Cacher<Obj>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'skiff-cacher-'));
    s = openSqliteStorage(join(dir, 'state.db'), { compactInterval: 0 });
  });
  afterEach(async () => {
    c?.stop();
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('starts from the stored state and lists by prefix in key order, with pages and filters', async () => {
    for (const k of ['b/2', 'a/1', 'b/1', 'ab/1', 'b/3']) await s.create(P + k, obj(k, { app: k.startsWith('b') && k !== 'b/2' ? 'x' : 'y' }));
    await s.create('/registry/services/a/1', obj('svc'));
    c = new Cacher(s, P, decode);
    await c.start();
    assert.equal(c.revision, await s.currentRevision());
    assert.deepEqual(c.list(P).items.map((i) => i.key), ['a/1', 'ab/1', 'b/1', 'b/2', 'b/3'].map((k) => P + k));
    assert.deepEqual(c.list(P + 'a/').items.map((i) => i.object.metadata.name), ['a/1']);
    const first = c.list(P + 'b/', { limit: 2 });
    assert.deepEqual(first.items.map((i) => i.object.metadata.name), ['b/1', 'b/2']);
    assert.equal(first.remainingItemCount, 1);
    const second = c.list(P + 'b/', { limit: 2, continue: first.continue! });
    assert.deepEqual(second.items.map((i) => i.object.metadata.name), ['b/3']);
    assert.equal(second.continue, undefined);
    const filtered = c.list(P, { filter: (o) => o.metadata.labels?.['app'] === 'x' });
    assert.deepEqual(filtered.items.map((i) => i.object.metadata.name), ['b/1', 'b/3']);
    assert.equal(c.get(P + 'b/2')?.object.metadata.name, 'b/2');
    assert.throws(() => c.list(P + 'a/', { continue: first.continue! }), (e) => isStorageError(e, StorageErrorCode.InvalidContinue));
  });

  it('follows writes and replays them to watchers in order, then streams live ones', async () => {
    c = new Cacher(s, P, decode);
    await c.start();
    const start = c.revision;
    const a = await s.create(P + 'ns/a', obj('a'));
    await s.guaranteedUpdate(P + 'ns/a', () => obj('a', { v: '2' }));
    await c.waitForRevision(await s.currentRevision(), 1000);
    const w = record(c, P, start);
    const del = await s.delete(P + 'ns/a');
    await c.waitForRevision(del.modRevision, 1000);
    await settle();
    assert.deepEqual(w.summary(), [`ADDED a@${a.modRevision}`, `MODIFIED a@${a.modRevision + 1}`, `DELETED a@${del.modRevision}`]);
    assert.equal(c.get(P + 'ns/a'), undefined);
    assert.equal(c.list(P).items.length, 0);
    w.stop();
  });

  it('turns filter transitions into ADDED and DELETED like Kubernetes', async () => {
    await s.create(P + 'ns/a', obj('a', { app: 'web' }));
    c = new Cacher(s, P, decode);
    await c.start();
    const w = record(c, P, c.revision, (o) => o.metadata.labels?.['app'] === 'web');
    const out = await s.guaranteedUpdate(P + 'ns/a', () => obj('a', { app: 'db' }));
    await s.guaranteedUpdate(P + 'ns/a', () => obj('a', { app: 'db', x: '1' }));
    const back = await s.guaranteedUpdate(P + 'ns/a', () => obj('a', { app: 'web' }));
    await c.waitForRevision(back.modRevision, 1000);
    await settle();
    assert.deepEqual(w.summary(), [`DELETED a@${out.modRevision}`, `ADDED a@${back.modRevision}`]);
    // The DELETED carries what the client last saw (app=web), at the new revision.
    assert.equal(w.events[0]!.object.metadata.labels?.['app'], 'web');
  });

  it('refuses watches older than the history window with TooOld', async () => {
    c = new Cacher(s, P, decode, { historySize: 3 });
    await c.start();
    const start = c.revision;
    for (let i = 0; i < 5; i++) await s.create(`${P}ns/${i}`, obj(String(i)));
    await c.waitForRevision(await s.currentRevision(), 1000);
    const old = record(c, P, start);
    const recent = record(c, P, start + 2);
    await settle();
    assert.ok(isStorageError(old.error, StorageErrorCode.TooOld));
    assert.equal(recent.error, undefined);
    assert.deepEqual(recent.events.map((e) => e.object.metadata.name), ['2', '3', '4']);
  });

  it('waitForRevision catches up with writes elsewhere in the store and times out on the future', async () => {
    c = new Cacher(s, P, decode);
    await c.start();
    await s.create('/registry/services/ns/x', obj('x'));
    const rev = await s.currentRevision();
    assert.ok(c.revision < rev);
    await c.waitForRevision(rev, 1000);
    assert.equal(c.revision, rev);
    await assert.rejects(c.waitForRevision(rev + 100, 50), (e) => isStorageError(e, StorageErrorCode.Unavailable));
  });

  it('sends each event only to the watchers of its namespace', async () => {
    c = new Cacher(s, P, decode);
    await c.start();
    const ws = Array.from({ length: 1000 }, (_, i) => ({ ns: `ns${i % 10}`, w: record(c, `${P}ns${i % 10}/`, c.revision) }));
    const all = record(c, P, c.revision);
    await Promise.all(Array.from({ length: 30 }, (_, i) => s.create(`${P}ns${i % 10}/p${i}`, obj(`p${i}`))));
    await c.waitForRevision(await s.currentRevision(), 1000);
    await settle();
    for (const { ns, w } of ws) {
      assert.equal(w.events.length, 3, ns);
      assert.ok(w.events.every((e) => Number(e.object.metadata.name.slice(1)) % 10 === Number(ns.slice(2))));
    }
    const revs = all.events.map((e) => e.revision);
    assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
    assert.equal(revs.length, 30);
    for (const { w } of ws) w.stop();
    all.stop();
    assert.equal(c.watcherCount, 0);
  });

  it('serves lists of 10,000 objects from memory: no storage read, no decode, the same objects each time', async () => {
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => s.create(`${P}ns${i % 20}/p${String(i).padStart(5, '0')}`, obj(`p${i}`))));
    let decoded = 0;
    c = new Cacher(s, P, (kv) => {
      decoded++;
      return decode(kv);
    });
    await c.start();
    assert.equal(decoded, 10_000);
    const reads: string[] = [];
    for (const m of ['get', 'list', 'count'] as const) {
      const orig = s[m].bind(s) as (...a: unknown[]) => unknown;
      (s as unknown as Record<string, unknown>)[m] = (...a: unknown[]) => {
        reads.push(m);
        return orig(...a);
      };
    }
    const first = c.list(P);
    const again = c.list(P);
    assert.equal(first.items.length, 10_000);
    assert.deepEqual(reads, []);
    assert.equal(decoded, 10_000);
    assert.ok(first.items.every((e, i) => e.object === again.items[i]!.object));
    const keys = first.items.map((e) => e.key);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(c.list(`${P}ns3/`).items.length, 500);
  });

  it('ends watchers with TooOld and re-lists when its storage watch fails', async () => {
    let failWatch: ((err: Error) => void) | undefined;
    const flaky: Storage = Object.create(s, {
      watch: {
        value: (prefix: string, after: number, h: WatchHandler) => {
          failWatch = (err) => h.onError(err);
          return s.watch(prefix, after, h);
        },
      },
    }) as Storage;
    await s.create(P + 'ns/a', obj('a'));
    c = new Cacher(flaky, P, decode);
    await c.start();
    const w = record(c, P, c.revision);
    await s.create(P + 'ns/b', obj('b'));
    await s.delete(P + 'ns/a');
    failWatch!(new Error('connection lost'));
    await settle();
    assert.ok(isStorageError(w.error, StorageErrorCode.TooOld));
    await c.waitForRevision(await s.currentRevision(), 1000);
    assert.deepEqual(c.list(P).items.map((i) => i.object.metadata.name), ['b']);
    const after = record(c, P, c.revision);
    await s.create(P + 'ns/c', obj('c'));
    await c.waitForRevision(await s.currentRevision(), 1000);
    await settle();
    assert.deepEqual(after.events.map((e) => e.object.metadata.name), ['c']);
  });
});
