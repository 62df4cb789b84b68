// The scheduler against a real in-process API server: binds, failure messages and
// conditions, profiles, preemption, and retry when the cluster changes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { makeNode, makePod, podsInfo, startSchedulerEnv, type SchedulerEnv } from './testing/cluster.ts';
import type { Pod } from './types.ts';

let env: SchedulerEnv;
before(async () => {
  env = await startSchedulerEnv({ profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'packer', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: 1 }] } } }] }] });
});
after(async () => {
  await env.stop();
});

const boundNode = (name: string, ns = 'default') => env.waitFor(async () => (await env.getPod(name, ns)).spec?.nodeName);

async function events(name: string): Promise<{ reason: string; message: string; type: string }[]> {
  const list = await env.cluster.client.list<KubeObject & { reason: string; message: string; type: string }>(resourceFor('', 'v1', 'events')!, 'default', {
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items;
}

test('binds pods and records Scheduled events', async () => {
  await env.createNode(makeNode('a1', { cpu: '2', labels: { group: 'a' } }));
  await env.createPod(makePod('p1', { cpu: '500m', spec: { nodeSelector: { group: 'a' } } }));
  assert.equal(await boundNode('p1'), 'a1');
  const ev = await env.waitFor(async () => (await events('p1')).find((e) => e.reason === 'Scheduled'));
  assert.equal(ev.message, 'Successfully assigned default/p1 to a1');
  const pod = await env.getPod('p1');
  assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
});

test('an unschedulable pod gets FailedScheduling and PodScheduled=False, then binds once a node fits', async () => {
  await env.createPod(makePod('big', { cpu: '3', spec: { nodeSelector: { group: 'a' } } }));
  const cond = await env.waitFor(async () => (await env.getPod('big')).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'));
  assert.equal(cond.reason, 'Unschedulable');
  assert.equal(cond.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  const ev = await env.waitFor(async () => (await events('big')).find((e) => e.reason === 'FailedScheduling'));
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.message, cond.message);
  await env.createNode(makeNode('a2', { cpu: '4', labels: { group: 'a' } }));
  assert.equal(await boundNode('big'), 'a2');
});

test('pods for another scheduler are left alone; a second profile schedules its own', async () => {
  await env.createPod(makePod('other', { spec: { schedulerName: 'someone-else', nodeSelector: { group: 'a' } } }));
  await env.createPod(makePod('packed', { cpu: '100m', spec: { schedulerName: 'packer', nodeSelector: { group: 'a' } } }));
  // MostAllocated prefers the fuller node: a2 (3 of 4 cpu) over a1 (0.5 of 2).
  assert.equal(await boundNode('packed'), 'a2');
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await env.getPod('other')).spec?.nodeName, undefined);
});

test('a high-priority pod preempts a low-priority one', async () => {
  const pcs = resourceFor('scheduling.k8s.io', 'v1', 'priorityclasses')!;
  await env.cluster.client.create(pcs, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as KubeObject);
  await env.createNode(makeNode('b1', { cpu: '1', labels: { group: 'b' } }));
  await env.createPod(makePod('low', { cpu: '800m', spec: { nodeSelector: { group: 'b' } } }));
  assert.equal(await boundNode('low'), 'b1');
  await env.createPod(makePod('high', { cpu: '800m', spec: { nodeSelector: { group: 'b' }, priorityClassName: 'high' } }));
  // The victim is bound, so it terminates gracefully; act as its kubelet and finish it.
  await env.waitFor(async () => (await env.getPod('low')).metadata.deletionTimestamp);
  const disrupted = (await env.getPod('low')).status?.conditions?.find((c: { type: string }) => c.type === 'DisruptionTarget');
  assert.deepEqual({ ...disrupted, lastTransitionTime: undefined }, { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod', lastTransitionTime: undefined });
  await env.cluster.client.delete(podsInfo, 'default', 'low', { gracePeriodSeconds: 0 });
  assert.equal(await boundNode('high'), 'b1');
  const ev = await env.waitFor(async () => (await events('low')).find((e) => e.reason === 'Preempted'));
  assert.match(ev.message, /^Preempted by pod .* on node b1$/);
  const high: Pod = await env.getPod('high');
  assert.equal(high.status?.nominatedNodeName, 'b1');
});
