import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { newPodInfo } from '../../framework/node-info.ts';
import { makePod } from '../../testing/cluster.ts';
import { nodeResourcesFit } from './node-resources-fit.ts';

test('rejects nodes short of cpu, memory, pods, and extended resources, naming each', () => {
  const snap = Snapshot.of([
    nodeInfo('roomy', { cpu: '4', memory: '8Gi' }),
    nodeInfo('busy', { cpu: '2', memory: '8Gi' }, [makePod('x', { cpu: '1500m' })]),
    nodeInfo('small', { cpu: '100m', memory: '64Mi' }),
    nodeInfo('full', { cpu: '4', memory: '8Gi', pods: 1 }, [makePod('y')]),
  ]);
  const r = filterAll(nodeResourcesFit(), podInfo('p', { cpu: '1', memory: '1Gi' }), snap);
  assert.deepEqual(r.passed, ['roomy']);
  assert.equal(r.rejected.get('busy')?.reasons, 'Insufficient cpu');
  assert.equal(r.rejected.get('small')?.reasons, 'Insufficient cpu, Insufficient memory');
  assert.equal(r.rejected.get('full')?.reasons, 'Too many pods');
  const gpu = podInfo('g', { spec: { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] } });
  assert.equal(filterAll(nodeResourcesFit(), gpu, snap).rejected.get('roomy')?.reasons, 'Insufficient example.com/gpu');
});

test('counts the largest init container, sidecars and overhead', () => {
  const snap = Snapshot.of([nodeInfo('n', { cpu: '2' })]);
  const init = podInfo('i', { cpu: '100m', spec: { initContainers: [{ name: 'init', resources: { requests: { cpu: '3' } } }] } });
  assert.equal(filterAll(nodeResourcesFit(), init, snap).rejected.get('n')?.reasons, 'Insufficient cpu');
  const overhead = podInfo('o', { cpu: '1500m', spec: { overhead: { cpu: '600m' } } });
  assert.equal(filterAll(nodeResourcesFit(), overhead, snap).rejected.get('n')?.reasons, 'Insufficient cpu');
  const sidecar = newPodInfo(makePod('s', { cpu: '1', spec: { initContainers: [{ name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '1500m' } } }] } }));
  assert.equal(sidecar.requests.requests.milliCPU, 2500);
});

test('LeastAllocated prefers the emptier node, MostAllocated the fuller', () => {
  const snap = Snapshot.of([nodeInfo('empty', { cpu: '4', memory: '8Gi' }), nodeInfo('half', { cpu: '4', memory: '8Gi' }, [makePod('x', { cpu: '2', memory: '4Gi' })])]);
  const pod = podInfo('p', { cpu: '1', memory: '1Gi' });
  const least = scoreAll(nodeResourcesFit(), pod, snap);
  assert.ok(least.get('empty')! > least.get('half')!);
  assert.equal(least.get('empty'), Math.floor(((3 / 4) * 100 + (7 / 8) * 100) / 2));
  const most = scoreAll(nodeResourcesFit({ scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } }), pod, snap);
  assert.equal(most.get('half'), 75);
  assert.equal(most.get('empty'), 25);
});
