import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, nodeInfo, podInfo, Snapshot } from '../../testing/fixtures.ts';
import { nodeName } from '../node-name/node-name.ts';
import { nodeUnschedulable } from './node-unschedulable.ts';

test('cordoned nodes take only pods tolerating node.kubernetes.io/unschedulable', () => {
  const snap = Snapshot.of([nodeInfo('open'), nodeInfo('cordoned', { unschedulable: true })]);
  const r = filterAll(nodeUnschedulable(), podInfo('p'), snap);
  assert.deepEqual(r.passed, ['open']);
  assert.equal(r.rejected.get('cordoned')?.reasons, 'node(s) were unschedulable');
  const tolerant = podInfo('t', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
  assert.deepEqual(filterAll(nodeUnschedulable(), tolerant, snap).passed, ['open', 'cordoned']);
});

test('NodeName: a pod naming a node goes only there', () => {
  const snap = Snapshot.of([nodeInfo('a'), nodeInfo('b')]);
  const r = filterAll(nodeName(), podInfo('p', { spec: { nodeName: 'b' } }), snap);
  assert.deepEqual(r.passed, ['b']);
  assert.equal(r.rejected.get('a')?.reasons, "node(s) didn't match the requested node name");
});
