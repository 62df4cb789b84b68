import { test } from 'node:test';
import assert from 'node:assert/strict';
import { admitPod, podRequests } from './admission.ts';
import type { Pod } from './types.ts';

const node = { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', zone: 'a' }, allocatable: { cpu: '2', memory: '4Gi', pods: '3', 'ephemeral-storage': '10Gi' } };

function pod(name: string, requests: Record<string, string> = {}, extra: Partial<Pod['spec']> = {}): Pod {
  return { metadata: { name, uid: name }, spec: { containers: [{ name: 'c', resources: { requests } }], ...extra } };
}

test('requests: sum of containers, at least the largest init container, plus overhead', () => {
  const p = pod('p', { cpu: '500m', memory: '1Gi' }, { initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }], overhead: { cpu: '100m' } });
  assert.deepEqual(Object.fromEntries(podRequests(p)), { cpu: 1100, memory: 1024 ** 3 });
});

test('a pod that fits is admitted; one that does not is rejected with OutOfcpu and the numbers', () => {
  assert.deepEqual(admitPod(pod('a', { cpu: '1500m' }), node, []), { admit: true });
  const r = admitPod(pod('b', { cpu: '1' }), node, [pod('a', { cpu: '1500m' })]);
  assert.deepEqual(r, { admit: false, reason: 'OutOfcpu', message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000" });
  assert.equal((admitPod(pod('m', { memory: '5Gi' }), node, []) as { reason: string }).reason, 'OutOfmemory');
  assert.equal((admitPod(pod('g', { 'nvidia.com/gpu': '1' }), node, []) as { reason: string }).reason, 'OutOfnvidia.com/gpu');
});

test('the pod count is limited by allocatable pods', () => {
  const r = admitPod(pod('d'), node, [pod('a'), pod('b'), pod('c')]);
  assert.equal(r.admit, false);
  assert.equal((r as { reason: string }).reason, 'OutOfpods');
});

test('node selector and required node affinity must match', () => {
  assert.equal(admitPod(pod('a', {}, { nodeSelector: { zone: 'a' } }), node, []).admit, true);
  const r = admitPod(pod('b', {}, { nodeSelector: { zone: 'b' } }), node, []);
  assert.deepEqual(r, { admit: false, reason: 'NodeAffinity', message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" });
  const affinity = (op: 'In' | 'NotIn', values: string[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: op, values }] }] } } });
  assert.equal(admitPod(pod('c', {}, { affinity: affinity('In', ['a', 'x']) }), node, []).admit, true);
  assert.equal(admitPod(pod('d', {}, { affinity: affinity('NotIn', ['a']) }), node, []).admit, false);
  const byName = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['n1'] }] }] } } };
  assert.equal(admitPod(pod('e', {}, { affinity: byName }), node, []).admit, true);
});

test('parsed quantities are remembered per unit: cpu in milli-units, the rest in units, the same on every call', () => {
  const pod = { metadata: { name: 'q' }, spec: { containers: [{ name: 'a', resources: { requests: { cpu: '1', memory: '1', 'ephemeral-storage': '1500m' } } }] } } as unknown as Pod;
  for (let i = 0; i < 3; i++) assert.deepEqual(podRequests(pod), new Map([['cpu', 1000], ['memory', 1], ['ephemeral-storage', 2]]));
});
