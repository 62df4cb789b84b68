import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { RestClient } from './rest-client.ts';
import { InformerFactory } from './informer-factory.ts';
import { SharedInformer } from './informer.ts';
import { startTestCluster, type TestCluster } from './testing/test-cluster.ts';
import { startApiServer } from '../apiserver/server.ts';

const configmaps = resourceFor('', 'v1', 'configmaps')!;
const namespaces = resourceFor('', 'v1', 'namespaces')!;

const cm = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data: {},
});

let cluster: TestCluster;
let ns = 0;
before(async () => {
  cluster = await startTestCluster();
});
after(() => cluster.stop());

/** A fresh namespace per test, so tests do not see each other's objects. */
async function namespace(): Promise<string> {
  const name = `t${ns++}`;
  await cluster.client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

function record(inf: SharedInformer<KubeObject>): string[] {
  const seen: string[] = [];
  inf.addEventHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}`),
    onUpdate: (a, b) => seen.push(`update ${a.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return seen;
}

async function waitFor(cond: () => boolean, what = 'condition', ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SharedInformer', () => {
  it('lists, then tells handlers of adds, updates and deletes; the lister filters by namespace and labels', async () => {
    const n = await namespace();
    const c = cluster.client;
    await c.create(configmaps, n, cm(n, 'pre', { app: 'web' }));
    const inf = new SharedInformer<KubeObject>({ client: c, resource: configmaps, namespace: n });
    inf.addIndex('app', (o) => (o.metadata.labels?.['app'] ? [o.metadata.labels['app']] : []));
    const seen = record(inf);
    inf.run();
    await inf.waitForSync();
    assert.ok(inf.hasSynced());
    assert.deepEqual(seen, ['add pre']);
    const a = await c.create(configmaps, n, cm(n, 'a', { app: 'web', tier: 'front' }));
    await c.create(configmaps, n, cm(n, 'b', { app: 'db' }));
    const a2 = await c.patch(configmaps, n, 'a', 'merge', { data: { k: 'v' } });
    await c.delete(configmaps, n, 'b');
    await waitFor(() => seen.length === 5, 'events');
    assert.deepEqual(seen, ['add pre', 'add a', 'add b', `update a ${a.metadata.resourceVersion}->${a2.metadata.resourceVersion}`, 'delete b']);
    assert.equal(inf.lister.get(n, 'a')?.metadata.resourceVersion, a2.metadata.resourceVersion);
    assert.equal(inf.lister.get(n, 'b'), undefined);
    assert.deepEqual(names(inf.lister.list(n)), ['a', 'pre']);
    assert.deepEqual(names(inf.lister.list(n, 'app=web,tier=front')), ['a']);
    assert.deepEqual(names(inf.lister.list(n, 'app in (web,db)')), ['a', 'pre']);
    assert.deepEqual(names(inf.lister.list('elsewhere')), []);
    assert.deepEqual(names(inf.lister.byIndex('app', 'web')), ['a', 'pre']);
    assert.deepEqual(names(inf.lister.byIndex('namespace', n)), ['a', 'pre']);
    // A handler added late hears of what is cached.
    const late: string[] = [];
    inf.addEventHandler({ onAdd: (o) => late.push(o.metadata.name!) });
    assert.deepEqual(late.sort(), ['a', 'pre']);
    // An index added after start covers what is cached; a removed one is gone.
    inf.addIndex('late', (o) => [o.metadata.name!]);
    assert.deepEqual(names(inf.lister.byIndex('late', 'pre')), ['pre']);
    inf.removeIndex('late');
    assert.throws(() => inf.lister.byIndex('late', 'pre'), /does not exist/);
    inf.stop();
  });

  it('caches objects without managedFields, listed or watched, and an update sent from the cache keeps the stored ones', async () => {
    const n = await namespace();
    const c = cluster.client;
    await c.create(configmaps, n, cm(n, 'listed', { app: 'web' }));
    const inf = new SharedInformer<KubeObject>({ client: c, resource: configmaps, namespace: n });
    const seen: KubeObject[] = [];
    inf.addEventHandler({ onAdd: (o) => seen.push(o), onUpdate: (_a, b) => seen.push(b) });
    inf.run();
    await inf.waitForSync();
    const watched = await c.create(configmaps, n, cm(n, 'watched', { app: 'web' }));
    assert.ok(watched.metadata.managedFields?.length, 'the server keeps managedFields');
    await waitFor(() => seen.length === 2, 'both adds');
    for (const o of seen) assert.equal(o.metadata.managedFields, undefined, `${o.metadata.name} cached without managedFields`);
    const cached = inf.lister.get(n, 'watched')!;
    const updated = await c.update(configmaps, n, { ...cached, data: { k: 'v' } });
    assert.deepEqual(
      updated.metadata.managedFields?.map((m) => m.manager),
      watched.metadata.managedFields?.map((m) => m.manager),
    );
    inf.stop();
  });

  it('resumes the watch from the last resourceVersion when the connection is killed, without listing again', async () => {
    const n = await namespace();
    const c = cluster.newClient();
    const inf = new SharedInformer<KubeObject>({ client: c, resource: configmaps, namespace: n });
    const seen = record(inf);
    inf.run();
    await inf.waitForSync();
    await c.create(configmaps, n, cm(n, 'one'));
    await waitFor(() => seen.length === 1);
    for (let round = 0; round < 3; round++) {
      cluster.apiServer.server.closeAllConnections();
      await cluster.client.create(configmaps, n, cm(n, `after-${round}`));
    }
    await waitFor(() => seen.length === 4, 'events after reconnecting');
    assert.deepEqual(seen, ['add one', 'add after-0', 'add after-1', 'add after-2']);
    assert.equal(inf.lists, 1);
    inf.stop();
  });

  it('re-lists after 410 and reports the deletes it missed with the last known state', async () => {
    const c = await startTestCluster();
    try {
      const n = 'default';
      await c.client.create(configmaps, n, cm(n, 'stays'));
      await c.client.create(configmaps, n, cm(n, 'goes', { last: 'known' }));
      const inf = new SharedInformer<KubeObject>({ client: c.client, resource: configmaps, namespace: n });
      const deleted: KubeObject[] = [];
      const seen = record(inf);
      inf.addEventHandler({ onDelete: (o) => deleted.push(o) });
      inf.run();
      await inf.waitForSync();
      await c.restart(async () => {
        // Changes the restarted server's watch history will not hold.
        const other = await startApiServer({ storage: c.storage });
        const oc = new RestClient({ server: other.url });
        await oc.delete(configmaps, n, 'goes');
        await oc.create(configmaps, n, cm(n, 'new'));
        oc.close();
        await other.close();
      });
      await waitFor(() => seen.length === 4, 'events after the re-list');
      assert.deepEqual(seen.slice(0, 2).sort(), ['add goes', 'add stays']);
      assert.deepEqual(seen.slice(2).sort(), ['add new', 'delete goes']);
      assert.equal(deleted[0]?.metadata.labels?.['last'], 'known');
      assert.equal(inf.lists, 2);
      assert.deepEqual(names(inf.lister.list(n)), ['new', 'stays']);
      inf.stop();
    } finally {
      await c.stop();
    }
  });
});

describe('InformerFactory', () => {
  it('shares one informer per resource, namespace and selector', async () => {
    const n = await namespace();
    const f = new InformerFactory(cluster.client);
    const a = f.informerFor(configmaps, { namespace: n });
    const b = f.informerFor(configmaps, { namespace: n });
    const other = f.informerFor(configmaps, { namespace: n, labelSelector: 'app=x' });
    assert.equal(a, b);
    assert.notEqual(a, other);
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.addEventHandler({ onAdd: (o) => seenA.push(o.metadata.name!) });
    b.addEventHandler({ onAdd: (o) => seenB.push(o.metadata.name!) });
    f.start();
    await f.waitForSync();
    await cluster.client.create(configmaps, n, cm(n, 'x1', { app: 'x' }));
    await cluster.client.create(configmaps, n, cm(n, 'y1', { app: 'y' }));
    await waitFor(() => seenA.length === 2 && other.lister.list().length === 1);
    assert.deepEqual(seenB, seenA);
    assert.deepEqual(names(other.lister.list()), ['x1']);
    // Informers asked for after start begin on the next start().
    const late = f.informerFor(namespaces);
    assert.equal(late.hasSynced(), false);
    f.start();
    await f.waitForSync();
    assert.ok(late.lister.get(undefined, n));
    f.stop();
  });
});

function names(objs: KubeObject[]): string[] {
  return objs.map((o) => o.metadata.name!).sort();
}
