import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { makePod } from '../../testing/cluster.ts';
import { balancedAllocation } from './balanced-allocation.ts';

test('prefers the node where cpu and memory end up used alike', () => {
  const snap = Snapshot.of([
    nodeInfo('cpu-heavy', { cpu: '4', memory: '8Gi' }, [makePod('x', { cpu: '3' })]),
    nodeInfo('even', { cpu: '4', memory: '8Gi' }, [makePod('y', { cpu: '1', memory: '2Gi' })]),
  ]);
  const s = scoreAll(balancedAllocation(), podInfo('p', { cpu: '1', memory: '2Gi' }), snap);
  assert.equal(s.get('even'), 100);
  // cpu 4/4, memory 2/8: std = 0.375.
  assert.equal(s.get('cpu-heavy'), 62);
});
