import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { Indexer } from './indexer.ts';
import { IndexerLister } from './lister.ts';

const pod = (namespace: string | undefined, name: string, labels: Record<string, string>, node = ''): KubeObject => ({
  metadata: namespace ? { namespace, name, labels } : { name, labels },
  spec: { nodeName: node },
});

it('keeps indices in step when an object changes or goes', () => {
  const idx = new Indexer<KubeObject>();
  idx.addIndex('node', (o) => [String((o['spec'] as { nodeName: string }).nodeName)]);
  idx.set(pod('a', 'p1', { app: 'web' }, 'n1'));
  idx.set(pod('a', 'p2', { app: 'web' }, 'n1'));
  idx.set(pod('b', 'p3', { app: 'db' }, 'n2'));
  assert.deepEqual(idx.byIndex('node', 'n1').map((o) => o.metadata.name), ['p1', 'p2']);
  const old = idx.set(pod('a', 'p1', { app: 'web' }, 'n2'));
  assert.equal((old?.['spec'] as { nodeName: string }).nodeName, 'n1');
  assert.deepEqual(idx.byIndex('node', 'n1').map((o) => o.metadata.name), ['p2']);
  assert.deepEqual(idx.byIndex('node', 'n2').map((o) => o.metadata.name).sort(), ['p1', 'p3']);
  idx.delete('a/p2');
  assert.deepEqual(idx.byIndex('node', 'n1'), []);
  assert.deepEqual(idx.byIndex('namespace', 'a').map((o) => o.metadata.name), ['p1']);
  assert.throws(() => idx.byIndex('nope', 'x'), /index "nope" does not exist/);
  // An index added later covers what is already stored.
  idx.addIndex('app', (o) => [o.metadata.labels?.['app'] ?? '']);
  assert.deepEqual(idx.byIndex('app', 'db').map((o) => o.metadata.name), ['p3']);
});

it('the lister selects by namespace and label selector, and gets cluster-scoped objects by name', () => {
  const idx = new Indexer<KubeObject>();
  idx.set(pod('a', 'p1', { app: 'web', tier: 'front' }));
  idx.set(pod('a', 'p2', { app: 'web' }));
  idx.set(pod('b', 'p3', { app: 'web' }));
  idx.set(pod(undefined, 'node-1', { zone: 'z1' }));
  const l = new IndexerLister(idx);
  assert.equal(l.get('a', 'p1')?.metadata.name, 'p1');
  assert.equal(l.get(undefined, 'node-1')?.metadata.name, 'node-1');
  assert.equal(l.get('b', 'p1'), undefined);
  assert.equal(l.list().length, 4);
  assert.deepEqual(l.list('a', 'app=web,!tier').map((o) => o.metadata.name), ['p2']);
  assert.deepEqual(l.list(undefined, 'app=web').map((o) => o.metadata.name).sort(), ['p1', 'p2', 'p3']);
  assert.deepEqual(l.list(undefined, 'zone in (z1,z2)').map((o) => o.metadata.name), ['node-1']);
  assert.throws(() => l.list(undefined, 'app in ('), /./);
});

it('after any mix of updates, moves and deletes, each index holds exactly the objects whose values match', () => {
  const idx = new Indexer<KubeObject>();
  const nodeOf = (o: KubeObject) => (o['spec'] as { nodeName: string }).nodeName;
  idx.addIndex('node', (o) => (nodeOf(o) ? [nodeOf(o)] : []));
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let i = 0; i < 2000; i++) {
    const name = `p${rand(50)}`;
    if (rand(10) === 0) idx.delete(`ns${rand(3)}/${name}`);
    // Status-like writes (same node) and moves, across namespaces.
    else idx.set({ ...pod(`ns${rand(3)}`, name, { app: 'x' }, rand(4) === 0 ? '' : `n${rand(5)}`), status: { i } });
  }
  const all = [...idx.values()];
  for (const node of ['n0', 'n1', 'n2', 'n3', 'n4']) {
    const want = all.filter((o) => nodeOf(o) === node).map((o) => `${o.metadata.namespace}/${o.metadata.name}@${(o['status'] as { i: number }).i}`);
    const got = idx.byIndex('node', node).map((o) => `${o.metadata.namespace}/${o.metadata.name}@${(o['status'] as { i: number }).i}`);
    assert.deepEqual(got.sort(), want.sort());
  }
  for (const ns of ['ns0', 'ns1', 'ns2']) {
    assert.deepEqual(idx.byIndex('namespace', ns).map((o) => o.metadata.name).sort(), all.filter((o) => o.metadata.namespace === ns).map((o) => o.metadata.name).sort());
  }
});
