import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { taintToleration } from './taint-toleration.ts';

const snap = Snapshot.of([
  nodeInfo('clean'),
  nodeInfo('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
  nodeInfo('draining', { taints: [{ key: 'drain', effect: 'NoExecute' }] }),
  nodeInfo('meh', { taints: [{ key: 'old', value: 'yes', effect: 'PreferNoSchedule' }] }),
]);

test('NoSchedule and NoExecute taints need a toleration; the message names the taint', () => {
  const r = filterAll(taintToleration(), podInfo('p'), snap);
  assert.deepEqual(r.passed, ['clean', 'meh']);
  assert.equal(r.rejected.get('gpu')?.reasons, 'node(s) had untolerated taint {gpu: true}');
  assert.equal(r.rejected.get('draining')?.reasons, 'node(s) had untolerated taint {drain: }');
  const tolerant = podInfo('t', { spec: { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }, { key: 'drain', operator: 'Exists' }] } });
  assert.deepEqual(filterAll(taintToleration(), tolerant, snap).passed, ['clean', 'gpu', 'draining', 'meh']);
  const wrongValue = podInfo('w', { spec: { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'false' }] } });
  assert.ok(!filterAll(taintToleration(), wrongValue, snap).passed.includes('gpu'));
  const everything = podInfo('e', { spec: { tolerations: [{ operator: 'Exists' }] } });
  assert.equal(filterAll(taintToleration(), everything, snap).passed.length, 4);
});

test('untolerated PreferNoSchedule taints score lower', () => {
  const s = scoreAll(taintToleration(), podInfo('p'), snap);
  assert.equal(s.get('clean'), 100);
  assert.equal(s.get('meh'), 0);
  const ok = scoreAll(taintToleration(), podInfo('q', { spec: { tolerations: [{ key: 'old', operator: 'Exists', effect: 'PreferNoSchedule' }] } }), snap);
  assert.equal(ok.get('meh'), 100);
});
