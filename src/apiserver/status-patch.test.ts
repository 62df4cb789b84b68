// PATCH on the status subresource: only status changes, whatever else the
// patch says, earlier managers keep their fields, and the identity the patch
// carries in metadata (uid, resourceVersion) is still checked.

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

const pods = '/api/v1/namespaces/default/pods';
const merge = 'application/merge-patch+json';
const strategic = 'application/strategic-merge-patch+json';

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() };
}

async function createPod(name: string): Promise<any> {
  const created = await send('POST', `${pods}?fieldManager=creator`, {
    metadata: { name, labels: { app: 'a' } },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

const running = { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], conditions: [{ type: 'Ready', status: 'True' }] };

for (const [type, contentType] of [['merge', merge], ['strategic merge', strategic]] as const) {
  test(`a ${type} /status patch changes status only; spec, labels and earlier managers stay`, async () => {
    const pod = await createPod(`status-only-${type.replace(' ', '-')}`);
    const path = `${pods}/${pod.metadata.name}/status?fieldManager=kubelet`;
    const patched = await send('PATCH', path, { metadata: { uid: pod.metadata.uid }, status: running }, contentType);
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.status.phase, 'Running');
    assert.deepEqual(patched.body.status.podIPs, [{ ip: '10.0.0.5' }]);
    assert.deepEqual(patched.body.spec, pod.spec);
    assert.deepEqual(patched.body.metadata.labels, { app: 'a' });
    const managers = patched.body.metadata.managedFields.map((m: any) => [m.manager, m.subresource ?? '']);
    assert.deepEqual(managers, [['creator', ''], ['kubelet', 'status']]);
    assert.deepEqual(patched.body.metadata.managedFields[0], pod.metadata.managedFields[0]);
    assert.ok(patched.body.metadata.managedFields[1].fieldsV1['f:status']['f:podIPs'], 'the kubelet owns what it wrote');

    // Spec and labels in a /status patch are ignored, as in Kubernetes.
    const ignored = await send('PATCH', path, { metadata: { labels: { app: 'b' } }, spec: { activeDeadlineSeconds: 5 }, status: { phase: 'Succeeded' } }, contentType);
    assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
    assert.equal(ignored.body.status.phase, 'Succeeded');
    assert.deepEqual(ignored.body.spec, pod.spec);
    assert.deepEqual(ignored.body.metadata.labels, { app: 'a' });
  });
}

test('a /status patch with another uid or a stale resourceVersion is refused', async () => {
  const pod = await createPod('status-identity');
  const path = `${pods}/${pod.metadata.name}/status`;
  const otherUid = await send('PATCH', path, { metadata: { uid: 'not-this-pod' }, status: running }, merge);
  assert.equal(otherUid.status, 422, JSON.stringify(otherUid.body));
  assert.match(otherUid.body.message, /metadata\.uid/);
  const first = await send('PATCH', path, { status: { phase: 'Running' } }, merge);
  assert.equal(first.status, 200);
  const stale = await send('PATCH', path, { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: running }, strategic);
  assert.equal(stale.status, 409, JSON.stringify(stale.body));
  const got = await send('GET', `${pods}/${pod.metadata.name}`);
  assert.equal(got.body.status.phase, 'Running');
  assert.equal(got.body.status.podIP, undefined);
});
