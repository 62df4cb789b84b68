import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { OwnerGraph } from './owner-graph.ts';

const pods = resourceFor('', 'v1', 'pods')!;
const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1', controller: true, blockOwnerDeletion: true };
const pod = (rv: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'p-1', resourceVersion: rv, ownerReferences: [owner], ...meta },
});

test('an update that leaves owners, deletion and finalizers alone is no change to the graph', () => {
  const g = new OwnerGraph();
  const first = g.upsert(pods, pod('1'));
  assert.equal(first.changed, true);
  assert.deepEqual(first.changedOwners, ['rs-1']);
  const again = g.upsert(pods, { ...pod('2'), status: { phase: 'Running' } } as KubeObject);
  assert.equal(again.changed, false);
  assert.equal(again.node, first.node);
  assert.deepEqual(g.dependentsOf('rs-1').map((d) => d.uid), ['p-1']);
});

test('owners, blockOwnerDeletion, finalizers and deletion each count as a change', () => {
  const g = new OwnerGraph();
  g.upsert(pods, pod('1'));
  const flipped = g.upsert(pods, pod('2', { ownerReferences: [{ ...owner, blockOwnerDeletion: false }] }));
  assert.equal(flipped.changed, true);
  assert.deepEqual(flipped.changedOwners, ['rs-1'], 'the waiting owner gets a look');
  assert.equal(g.upsert(pods, pod('3', { ownerReferences: [{ ...owner, blockOwnerDeletion: false }], finalizers: ['f'] })).changed, true);
  const deleting = g.upsert(pods, pod('4', { ownerReferences: [{ ...owner, blockOwnerDeletion: false }], finalizers: ['f'], deletionTimestamp: '2026-01-01T00:00:00Z' }));
  assert.equal(deleting.changed, true);
  assert.equal(deleting.node.deleting, true);
  const orphaned = g.upsert(pods, pod('5', { ownerReferences: [], finalizers: ['f'], deletionTimestamp: '2026-01-01T00:00:00Z' }));
  assert.equal(orphaned.changed, true);
  assert.deepEqual(orphaned.changedOwners, ['rs-1']);
  assert.deepEqual(g.dependentsOf('rs-1'), []);
});
