// A write's response and its watch event are built from the stored text (see
// registry/stored-json.ts): they must be byte for byte what serializing the
// object gives, which is what a GET sends.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';

let cluster: TestCluster;

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster.stop();
});

async function call(method: string, path: string, body: unknown, type = 'application/json'): Promise<string> {
  const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': type }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.ok, text);
  return text;
}

/** The raw `object` text of every watch event line, by resourceVersion. */
function watchObjects(path: string): { objects: Map<string, string>; stop(): void } {
  const objects = new Map<string, string>();
  const req = request(`${cluster.url}${path}`, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const text = line.slice(line.indexOf('"object":') + 9, -1);
        objects.set((JSON.parse(text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion, text);
      }
    });
  });
  req.end();
  return { objects, stop: () => req.destroy() };
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check());
}

function rvOf(text: string): string {
  const meta = (JSON.parse(text) as { metadata: Record<string, string> }).metadata;
  assert.equal(Object.keys(meta).at(-1), 'resourceVersion');
  return meta['resourceVersion']!;
}

test('pod create, status merge patch and Lease PUT answer exactly what GET and the watch send', async () => {
  const pods = watchObjects('/api/v1/pods?watch=true');
  const leases = watchObjects('/apis/coordination.k8s.io/v1/leases?watch=true');
  await new Promise((r) => setTimeout(r, 100));
  const podPath = '/api/v1/namespaces/default/pods';
  const created = await call('POST', podPath, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bytes', labels: { app: 'x' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '10m' } } }] },
  });
  const uid = (JSON.parse(created) as { metadata: { uid: string } }).metadata.uid;
  const patched = await call(
    'PATCH',
    `${podPath}/bytes/status`,
    { metadata: { uid }, status: { phase: 'Running', podIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }] } },
    'application/merge-patch+json',
  );
  const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
  const lease = await call('POST', leasePath, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40 } });
  const renewed = JSON.parse(lease) as { spec: Record<string, unknown> };
  renewed.spec['renewTime'] = '2026-11-26T16:00:00.000000Z';
  const put = await call('PUT', `${leasePath}/n1`, renewed);

  const podGet = await (await fetch(`${cluster.url}${podPath}/bytes`)).text();
  const leaseGet = await (await fetch(`${cluster.url}${leasePath}/n1`)).text();
  assert.equal(patched, podGet);
  assert.equal(put, leaseGet);
  for (const text of [created, patched, lease, put]) assert.equal(text, JSON.stringify(JSON.parse(text)));
  await eventually(() => pods.objects.has(rvOf(patched)) && leases.objects.has(rvOf(put)));
  assert.equal(pods.objects.get(rvOf(created)), created);
  assert.equal(pods.objects.get(rvOf(patched)), patched);
  assert.equal(leases.objects.get(rvOf(lease)), lease);
  assert.equal(leases.objects.get(rvOf(put)), put);
  pods.stop();
  leases.stop();
});

test('updates read the watch cache object of the current version without changing it', async () => {
  const podPath = '/api/v1/namespaces/default/pods';
  const created = JSON.parse(
    await call('POST', podPath, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'shared', labels: { a: 'b' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } }),
  ) as { metadata: { uid: string; resourceVersion: string } };
  const store = cluster.apiServer.registry.mustStore('', 'pods');
  const key = store.key('default', 'shared');
  await eventually(() => store.cache.get(key)?.revision === Number(created.metadata.resourceVersion));
  const cached = store.cache.get(key)!.object;
  const snapshot = JSON.stringify(cached);
  await call('PATCH', `${podPath}/shared/status`, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } }, 'application/merge-patch+json');
  assert.equal(JSON.stringify(cached), snapshot);
  await eventually(() => store.cache.get(key)!.object !== cached);
  const next = store.cache.get(key)!.object;
  const nextSnapshot = JSON.stringify(next);
  const full = JSON.parse(await (await fetch(`${cluster.url}${podPath}/shared`)).text()) as { metadata: { labels: Record<string, string> } };
  full.metadata.labels['c'] = 'd';
  const put = JSON.parse(await call('PUT', `${podPath}/shared`, full)) as { metadata: { labels: Record<string, string> }; status: { phase: string } };
  assert.deepEqual(put.metadata.labels, { a: 'b', c: 'd' });
  assert.equal(put.status.phase, 'Running');
  assert.equal(JSON.stringify(next), nextSnapshot);
});
