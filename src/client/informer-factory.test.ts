// Components' views of one InformerFactory: one watch per resource for all of
// them, each view's handlers and indexes gone when it stops, and an informer
// no view uses any more stopped, so a later view gets a fresh, synced one.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { InformerFactory } from './informer-factory.ts';
import { startTestCluster, type TestCluster } from './testing/test-cluster.ts';
import { waitFor } from './testing/wait-for.ts';

const configmaps = resourceFor('', 'v1', 'configmaps')!;
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });

let cluster: TestCluster;
const watches: string[] = [];
const countWatches = (req: IncomingMessage) => {
  if (req.url?.includes('watch=true')) watches.push(req.url.split('?')[0]!);
};
before(async () => {
  cluster = await startTestCluster();
  cluster.apiServer.server.on('request', countWatches);
});
after(() => cluster.stop());

describe('InformerFactory views', () => {
  it('share one watch, and a view that stops leaves the other working', async () => {
    watches.length = 0;
    const f = new InformerFactory(cluster.client);
    const a = f.forComponent();
    const b = f.forComponent();
    const seenA: string[] = [];
    const seenB: string[] = [];
    const infA = a.informerFor(configmaps, { namespace: 'default' });
    infA.addEventHandler({ onAdd: (o) => seenA.push(o.metadata.name!) });
    infA.addIndex('name', (o) => [o.metadata.name!]);
    a.start();
    await a.waitForSync();
    // B arrives after A started: it shares the running informer and hears of what is cached.
    await cluster.client.create(configmaps, 'default', cm('one'));
    await waitFor(() => seenA.length === 1, 'A sees one');
    const infB = b.informerFor(configmaps, { namespace: 'default' });
    infB.addEventHandler({ onAdd: (o) => seenB.push(o.metadata.name!) });
    b.start();
    await b.waitForSync();
    assert.deepEqual(seenB, ['one']);
    assert.equal(infB.lister.get('default', 'one')?.metadata.name, 'one');
    assert.deepEqual(watches, ['/api/v1/namespaces/default/configmaps']);

    a.stop();
    await cluster.client.create(configmaps, 'default', cm('two'));
    await waitFor(() => seenB.length === 2, 'B sees two');
    assert.deepEqual(seenA, ['one'], 'a stopped view hears nothing');
    assert.throws(() => infB.lister.byIndex('name', 'two'), /does not exist/, "the stopped view's index is gone");
    assert.equal(watches.length, 1);
    b.stop();
    f.stop();
  });

  it('stops an informer no view uses; the next view lists again and syncs', async () => {
    watches.length = 0;
    const f = new InformerFactory(cluster.client);
    const first = f.forComponent();
    first.informerFor(configmaps, { namespace: 'default' });
    first.start();
    await first.waitForSync();
    await waitFor(() => watches.length === 1, 'the first watch');
    first.stop();
    await cluster.client.create(configmaps, 'default', cm('three'));

    // A leader that lost its lease and won it back.
    const again = f.forComponent();
    const inf = again.informerFor(configmaps, { namespace: 'default' });
    const seen: string[] = [];
    inf.addEventHandler({ onAdd: (o) => seen.push(o.metadata.name!) });
    assert.equal(inf.hasSynced(), false, 'a fresh informer, not the stopped one');
    again.start();
    await again.waitForSync();
    assert.ok(seen.includes('three'));
    await cluster.client.create(configmaps, 'default', cm('four'));
    await waitFor(() => seen.includes('four'), 'the fresh informer watches');
    await waitFor(() => watches.length === 2, 'a second watch');
    again.stop();
    f.stop();
  });
});
