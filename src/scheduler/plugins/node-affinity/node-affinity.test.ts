import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { Code } from '../../framework/status.ts';
import { nodeAffinity } from './node-affinity.ts';

const snap = Snapshot.of([
  nodeInfo('a', { labels: { zone: 'z1', disk: 'ssd', gen: '5' } }),
  nodeInfo('b', { labels: { zone: 'z2', gen: '3' } }),
  nodeInfo('c', { labels: { zone: 'z3' } }),
]);

test('nodeSelector must match every label', () => {
  const r = filterAll(nodeAffinity(), podInfo('p', { spec: { nodeSelector: { zone: 'z1', disk: 'ssd' } } }), snap);
  assert.deepEqual(r.passed, ['a']);
  assert.deepEqual(r.rejected.get('b'), { code: Code.UnschedulableAndUnresolvable, reasons: "node(s) didn't match Pod's node affinity/selector" });
});

test('required terms: any term, all expressions; every operator and matchFields', () => {
  const req = (terms: unknown[]) => podInfo('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms as never } } } } });
  const passed = (terms: unknown[]) => filterAll(nodeAffinity(), req(terms), snap).passed;
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1', 'z2'] }] }]), ['a', 'b']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1'] }] }]), ['b', 'c']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }]), ['a']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }]), ['b', 'c']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]), ['a']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'gen', operator: 'Lt', values: ['4'] }] }]), ['b']);
  assert.deepEqual(passed([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }]), ['c']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z3'] }] }, { matchExpressions: [{ key: 'disk', operator: 'Exists' }] }]), ['a', 'c']);
  assert.deepEqual(passed([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }, { key: 'gen', operator: 'Lt', values: ['4'] }] }]), []);
});

test('preferred terms score by weight, normalized to 100', () => {
  const pod = podInfo('p', {
    spec: {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
            { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] } },
          ],
        },
      },
    },
  });
  assert.deepEqual([...scoreAll(nodeAffinity(), pod, snap)], [['a', 33], ['b', 100], ['c', 0]]);
  assert.equal(scoreAll(nodeAffinity(), podInfo('q'), snap).size, 0);
});
