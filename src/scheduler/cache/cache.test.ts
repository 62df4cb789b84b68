import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makePod } from '../testing/cluster.ts';
import { newPodInfo } from '../framework/node-info.ts';
import { SchedulerCache } from './cache.ts';
import { Snapshot } from './snapshot.ts';

test('an assumed pod counts at once; its bind echo confirms it; a failed bind forgets it', () => {
  const cache = new SchedulerCache();
  const snap = new Snapshot();
  cache.addNode(makeNode('n', { cpu: '2' }));
  const pi = newPodInfo(makePod('p', { cpu: '500m' }));
  cache.assumePod(pi, 'n');
  cache.updateSnapshot(snap);
  assert.equal(snap.get('n')?.requested.milliCPU, 500);
  assert.ok(cache.isAssumed('default/p'));
  cache.addPod({ ...pi.pod, spec: { ...pi.pod.spec, nodeName: 'n' } });
  assert.ok(!cache.isAssumed('default/p'));
  cache.updateSnapshot(snap);
  assert.equal(snap.get('n')?.requested.milliCPU, 500);
  const q = newPodInfo(makePod('q', { cpu: '1' }));
  cache.assumePod(q, 'n');
  cache.forgetPod('default/q');
  cache.updateSnapshot(snap);
  assert.equal(snap.get('n')?.requested.milliCPU, 500);
  assert.equal(snap.get('n')?.pods.length, 1);
});

test('snapshots copy only changed nodes and see nodes come and go', () => {
  const cache = new SchedulerCache();
  const snap = new Snapshot();
  cache.addNode(makeNode('a'));
  cache.addNode(makeNode('b'));
  cache.updateSnapshot(snap);
  const b = snap.get('b');
  const v = snap.version;
  cache.addPod(makePod('p', { spec: { nodeName: 'a' } }));
  cache.updateSnapshot(snap);
  assert.equal(snap.get('b'), b, 'an unchanged node keeps its copy');
  assert.deepEqual(snap.changedSince(v), ['a']);
  assert.equal(snap.get('a')?.pods.length, 1);
  cache.removeNode(makeNode('b'));
  cache.updateSnapshot(snap);
  assert.deepEqual(snap.nodeInfoList.map((n) => n.name), ['a']);
  // A node removed while pods remain keeps their accounting but is not schedulable.
  cache.removeNode(makeNode('a'));
  cache.updateSnapshot(snap);
  assert.equal(snap.nodeInfoList.length, 0);
  assert.equal(cache.nodeCount(), 0);
});
