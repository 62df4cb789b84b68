// DELETE with propagationPolicy: Orphan and Foreground leave the object marked
// with the garbage collector's finalizer; Background deletes it at once. Finalizers and grace periods together.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { finalizersForPropagation } from './store.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';

let cluster: TestCluster;
const base = '/api/v1/namespaces/default/configmaps';

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster.stop();
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

async function createConfigMap(name: string, finalizers?: string[]): Promise<void> {
  const r = await call('POST', base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(finalizers ? { finalizers } : {}) } });
  assert.equal(r.status, 201);
}

test('finalizersForPropagation swaps the garbage collector finalizers and keeps others', () => {
  assert.deepEqual(finalizersForPropagation(['a'], 'Orphan'), ['a', 'orphan']);
  assert.deepEqual(finalizersForPropagation(['orphan', 'a'], 'Foreground'), ['a', 'foregroundDeletion']);
  assert.deepEqual(finalizersForPropagation(['orphan', 'foregroundDeletion'], 'Background'), []);
  assert.deepEqual(finalizersForPropagation(['orphan'], undefined), ['orphan']);
});

for (const [policy, finalizer] of [
  ['Orphan', 'orphan'],
  ['Foreground', 'foregroundDeletion'],
] as const) {
  test(`${policy} marks the object with ${finalizer} until the finalizer is removed`, async () => {
    const name = `cm-${policy.toLowerCase()}`;
    await createConfigMap(name);
    const del = await call('DELETE', `${base}/${name}`, { propagationPolicy: policy });
    assert.equal(del.status, 200);
    const got = await call('GET', `${base}/${name}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.metadata.finalizers, [finalizer]);
    assert.ok(got.json.metadata.deletionTimestamp);
    got.json.metadata.finalizers = [];
    assert.equal((await call('PUT', `${base}/${name}`, got.json)).status, 200);
    assert.equal((await call('GET', `${base}/${name}`)).status, 404);
  });
}

test('Background deletes at once, and a later Background delete drops a pending orphan finalizer', async () => {
  await createConfigMap('cm-bg');
  assert.equal((await call('DELETE', `${base}/cm-bg`, { propagationPolicy: 'Background' })).status, 200);
  assert.equal((await call('GET', `${base}/cm-bg`)).status, 404);

  await createConfigMap('cm-switch', ['example.com/keep']);
  await call('DELETE', `${base}/cm-switch`, { propagationPolicy: 'Orphan' });
  assert.deepEqual((await call('GET', `${base}/cm-switch`)).json.metadata.finalizers, ['example.com/keep', 'orphan']);
  await call('DELETE', `${base}/cm-switch`, { propagationPolicy: 'Foreground' });
  assert.deepEqual((await call('GET', `${base}/cm-switch`)).json.metadata.finalizers, ['example.com/keep', 'foregroundDeletion']);
  await call('DELETE', `${base}/cm-switch`, { propagationPolicy: 'Background' });
  const after = await call('GET', `${base}/cm-switch`);
  assert.deepEqual(after.json.metadata.finalizers, ['example.com/keep']);
});

test('a delete without a policy keeps the object default: gone at once', async () => {
  await createConfigMap('cm-none');
  assert.equal((await call('DELETE', `${base}/cm-none`)).status, 200);
  assert.equal((await call('GET', `${base}/cm-none`)).status, 404);
});

test('a pod whose finalizers go during its grace period waits for the kubelet, then goes', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'graceful', finalizers: ['example.com/hold'] },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] },
  };
  assert.equal((await call('POST', pods, pod)).status, 201);
  const marked = await call('DELETE', `${pods}/graceful`, { gracePeriodSeconds: 30 });
  assert.equal(marked.status, 200);
  assert.ok(marked.json.metadata.deletionTimestamp);
  assert.equal(marked.json.metadata.deletionGracePeriodSeconds, 30);
  // The finalizer's owner lets go while the kubelet is still stopping the containers.
  const released = await fetch(`${cluster.url}${pods}/graceful`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { finalizers: null } }),
  });
  assert.equal(released.status, 200);
  assert.equal((await call('GET', `${pods}/graceful`)).status, 200, 'still there until the kubelet is done');
  // The kubelet finishes with a zero grace period: now it goes.
  assert.equal((await call('DELETE', `${pods}/graceful`, { gracePeriodSeconds: 0 })).status, 200);
  assert.equal((await call('GET', `${pods}/graceful`)).status, 404);
});
