// pods/eviction: a disruption budget with no room refuses with 429 and leaves
// the pod alone; otherwise a running pod is first marked DisruptionTarget
// (EvictionByEvictionAPI), then deleted gracefully.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const type = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': type }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
}

const pods = '/api/v1/namespaces/default/pods';
const evict = (name: string) => send('POST', `${pods}/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });

async function runningPod(name: string, labels: Record<string, string>): Promise<void> {
  const created = await send('POST', pods, { metadata: { name, labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const st = await send('PATCH', `${pods}/${name}/status`, { status: { phase: 'Running' } });
  assert.equal(st.status, 200);
}

test('an evicted running pod is marked DisruptionTarget, then deleted gracefully', async () => {
  await runningPod('victim', { app: 'free' });
  const r = await evict('victim');
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pod = (await send('GET', `${pods}/victim`)).body;
  assert.ok(pod.metadata.deletionTimestamp, 'deleted gracefully (a kubelet finishes it)');
  const c = pod.status.conditions.find((x: { type: string }) => x.type === 'DisruptionTarget');
  assert.equal(c.status, 'True');
  assert.equal(c.reason, 'EvictionByEvictionAPI');
  assert.equal(c.message, 'Eviction API: evicting');
  assert.match(c.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('a budget with no disruption allowed refuses with 429 and the pod is untouched', async () => {
  await runningPod('guarded', { app: 'guarded' });
  const pdb = await send('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { metadata: { name: 'guard' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
  assert.equal(pdb.status, 201, JSON.stringify(pdb.body));
  const r = await evict('guarded');
  assert.equal(r.status, 429);
  assert.equal(r.body.details.causes[0].reason, 'DisruptionBudget');
  const pod = (await send('GET', `${pods}/guarded`)).body;
  assert.equal(pod.metadata.deletionTimestamp, undefined);
  assert.equal(pod.status.conditions?.find((x: { type: string }) => x.type === 'DisruptionTarget'), undefined);
});
