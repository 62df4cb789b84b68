// The pod status writer against a real API server: a status reaches its pod,
// and a status for a pod that was deleted and created again under the same
// name never lands on the new one (the patch carries the old uid).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { isInvalid } from '../machinery/status.ts';
import { PodStatusWriter } from './status-writer.ts';
import type { Pod } from './types.ts';

const pods = resourceFor('', 'v1', 'pods')!;
let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(() => cluster.stop());

const pod = (name: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'busybox' }] } }) as unknown as KubeObject;

test('the API server refuses a write whose metadata.uid is not the object\'s, and accepts its own or none', async () => {
  const created = await cluster.client.create(pods, 'default', pod('uid-check'));
  await assert.rejects(
    cluster.client.patch(pods, 'default', 'uid-check', 'merge', { metadata: { uid: 'someone-else' }, status: { phase: 'Running' } }, { subresource: 'status' }),
    (e) => isInvalid(e) && /metadata\.uid: Invalid value: "someone-else": field is immutable/.test((e as Error).message),
  );
  await assert.rejects(
    cluster.client.update(pods, 'default', { ...created, metadata: { ...created.metadata, uid: 'someone-else' } }),
    (e) => isInvalid(e),
  );
  const own = await cluster.client.patch<KubeObject>(pods, 'default', 'uid-check', 'merge', { metadata: { uid: created.metadata.uid }, status: { phase: 'Running' } }, { subresource: 'status' });
  assert.equal((own['status'] as { phase: string }).phase, 'Running');
  const none = await cluster.client.patch<KubeObject>(pods, 'default', 'uid-check', 'merge', { status: { phase: 'Succeeded' } }, { subresource: 'status' });
  assert.equal(none.metadata.uid, created.metadata.uid);
});

test('a status for a pod replaced by a new one of the same name is dropped quietly', async () => {
  const logs: string[] = [];
  const writer = new PodStatusWriter(cluster.client, (l) => logs.push(l));
  const first = (await cluster.client.create(pods, 'default', pod('reborn'))) as unknown as Pod;
  await writer.write(first, { phase: 'Running', podIP: '10.0.0.1' });
  assert.equal((await cluster.client.get<KubeObject>(pods, 'default', 'reborn'))['status']?.['phase' as never], 'Running');
  await cluster.client.delete(pods, 'default', 'reborn', { gracePeriodSeconds: 0 });
  const second = await cluster.client.create(pods, 'default', pod('reborn'));
  await writer.write(first, { phase: 'Failed', reason: 'Stale' });
  const now = await cluster.client.get<KubeObject>(pods, 'default', 'reborn');
  assert.equal(now.metadata.uid, second.metadata.uid);
  assert.notEqual((now['status'] as { phase?: string } | undefined)?.phase, 'Failed', 'the old pod\'s status did not land on the new pod');
  assert.deepEqual(logs, []);
});

test('a condition someone else set meanwhile survives the next status write; a new pod IP replaces the old one', async () => {
  const logs: string[] = [];
  const writer = new PodStatusWriter(cluster.client, (l) => logs.push(l));
  const created = (await cluster.client.create(pods, 'default', pod('gated'))) as unknown as Pod;
  const t = '2026-01-01T00:00:00Z';
  const ready = (status: 'True' | 'False') => ({ type: 'Ready', status, lastTransitionTime: t, ...(status === 'False' ? { reason: 'ContainersNotReady' } : {}) });
  await writer.write(created, { phase: 'Running', podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }], hostIPs: [{ ip: '192.168.0.1' }], conditions: [ready('False')] });
  // A readiness-gate controller sets its condition; this node has not seen that yet.
  await cluster.client.patch(pods, 'default', 'gated', 'strategic', { status: { conditions: [{ type: 'example.com/gate', status: 'True', lastTransitionTime: t }] } }, { subresource: 'status' });
  await writer.write(created, { phase: 'Running', podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.2' }], hostIPs: [{ ip: '192.168.0.1' }], conditions: [ready('True')] });
  const st = (await cluster.client.get<KubeObject>(pods, 'default', 'gated'))['status'] as Pod['status'] & object;
  assert.deepEqual(st.conditions?.map((c) => `${c.type}=${c.status}`).sort(), ['Ready=True', 'example.com/gate=True']);
  assert.equal(st.conditions?.find((c) => c.type === 'Ready')?.reason, undefined, 'Ready=True without the reason it had while False');
  assert.deepEqual(st.podIPs, [{ ip: '10.0.0.2' }]);
  assert.equal(st.podIP, '10.0.0.2');
  assert.deepEqual(st.hostIPs, [{ ip: '192.168.0.1' }]);
  // Once the node knows the gate, the stored list is in the order it reported (its echo compares equal).
  const conditions = [ready('True'), { type: 'example.com/gate', status: 'True' as const, lastTransitionTime: t }];
  await writer.write(created, { phase: 'Running', podIP: '10.0.0.2', podIPs: [{ ip: '10.0.0.2' }], hostIPs: [{ ip: '192.168.0.1' }], conditions });
  const after = (await cluster.client.get<KubeObject>(pods, 'default', 'gated'))['status'] as Pod['status'] & object;
  assert.deepEqual(after.conditions, conditions);
  assert.deepEqual(logs, []);
});
