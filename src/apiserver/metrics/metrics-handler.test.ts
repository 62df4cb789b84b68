// The metrics API against a stub kubelet: discovery, node and pod metrics, rates, selectors, the token.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceForKind } from '../../api/scheme.ts';
import { RestClient } from '../../client/rest-client.ts';
import { openSqliteStorage, type SqliteStorage } from '../../storage/sqlite/sqlite.ts';
import { startApiServer, type ApiServer } from '../server.ts';

const token = 'metrics-test-token';
let dir: string;
let storage: SqliteStorage;
let api: ApiServer;
let kubelet: Server;
let client: RestClient;
let calls = 0;
const unauthorized: string[] = [];

before(async () => {
  kubelet = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      unauthorized.push(String(req.headers.authorization));
      res.writeHead(401).end();
      return;
    }
    calls++;
    // The node's counter grows 0.25 core-seconds per 1 s between calls; containers report a rate.
    const t = new Date(Date.UTC(2026, 0, 1, 0, 0, calls)).toISOString();
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        node: { nodeName: 'n1', cpu: { time: t, usageCoreNanoSeconds: calls * 250_000_000 }, memory: { time: t, workingSetBytes: 512 * 1024 * 1024 } },
        pods: [
          { podRef: { name: 'web', namespace: 'default' }, containers: [{ name: 'c', cpu: { time: t, usageNanoCores: 3_000_000, usageCoreNanoSeconds: 9 }, memory: { workingSetBytes: 2048 * 1024 } }] },
          { podRef: { name: 'db', namespace: 'other' }, containers: [{ name: 'pg', cpu: { time: t, usageNanoCores: 1_000_000 }, memory: { workingSetBytes: 1024 * 1024 } }] },
        ],
      }),
    );
  });
  await new Promise<void>((r) => kubelet.listen(0, '127.0.0.1', r));
  const port = (kubelet.address() as AddressInfo).port;
  dir = mkdtempSync(join(tmpdir(), 'skiff-metrics-'));
  storage = openSqliteStorage(join(dir, 'state.db'), { synchronous: 'NORMAL', compactInterval: 0 });
  api = await startApiServer({ storage, kubeletToken: token });
  client = new RestClient({ server: api.url });
  const nodes = resourceForKind('', 'Node')!;
  for (const [name, status] of [
    ['n1', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } }],
    ['hollow', {}],
  ] as const) {
    const n = await client.create(nodes, undefined, { metadata: { name, labels: { role: name } } });
    await client.update(nodes, undefined, { ...n, status }, { subresource: 'status' });
  }
  const pods = resourceForKind('', 'Pod')!;
  await client.create(resourceForKind('', 'Namespace')!, undefined, { metadata: { name: 'other' } });
  const pod = (ns: string, name: string, node: string, app: string) =>
    client.create(pods, ns, { metadata: { name, labels: { app } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox:1.35' }] } });
  await pod('default', 'web', 'n1', 'web');
  await pod('default', 'sim', 'hollow', 'web');
  await pod('other', 'db', 'n1', 'db');
});
after(async () => {
  client.close();
  await api.close();
  await storage.close();
  kubelet.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string, accept = 'application/json') => {
  const r = await fetch(`${api.url}${path}`, { headers: { accept } });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
};

test('discovery lists metrics.k8s.io, legacy and aggregated', async () => {
  const legacy = await get('/apis');
  assert.ok(legacy.body.groups.some((g: { name: string }) => g.name === 'metrics.k8s.io'));
  assert.ok(legacy.body.groups.some((g: { name: string }) => g.name === 'apps'), 'the scheme groups are still there');
  const agg = await get('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const item = agg.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'metrics.k8s.io');
  assert.deepEqual(item.versions[0].resources.map((r: { resource: string }) => r.resource), ['nodes', 'pods']);
  const list = await get('/apis/metrics.k8s.io/v1beta1');
  assert.deepEqual(list.body.resources.map((r: { kind: string }) => r.kind), ['NodeMetrics', 'PodMetrics']);
});

test('node metrics: CPU is the rate between two samples, memory the working set; nodes without a kubelet are left out', async () => {
  await get('/apis/metrics.k8s.io/v1beta1/nodes');
  const second = await get('/apis/metrics.k8s.io/v1beta1/nodes');
  assert.equal(second.body.kind, 'NodeMetricsList');
  assert.deepEqual(second.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['n1']);
  assert.deepEqual(second.body.items[0].usage, { cpu: '250000000n', memory: '524288Ki' });
  assert.equal((await get('/apis/metrics.k8s.io/v1beta1/nodes/n1')).body.kind, 'NodeMetrics');
  const missing = await get('/apis/metrics.k8s.io/v1beta1/nodes/hollow');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'nodemetrics.metrics.k8s.io "hollow" not found');
  assert.deepEqual(unauthorized, []);
});

test('pod metrics: per namespace, all namespaces, by label and by name', async () => {
  const ns = await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
  assert.deepEqual(ns.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['web']);
  assert.deepEqual(ns.body.items[0].containers, [{ name: 'c', usage: { cpu: '3000000n', memory: '2048Ki' } }]);
  const all = await get('/apis/metrics.k8s.io/v1beta1/pods');
  assert.deepEqual(all.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`).sort(), ['default/web', 'other/db']);
  const byLabel = await get('/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Ddb');
  assert.deepEqual(byLabel.body.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['db']);
  const one = await get('/apis/metrics.k8s.io/v1beta1/namespaces/other/pods/db');
  assert.equal(one.body.kind, 'PodMetrics');
  assert.equal((await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope')).status, 404);
  assert.equal((await get('/apis/metrics.k8s.io/v1beta1/pods?labelSelector=%3D%3D%3D')).status, 400);
  const post = await fetch(`${api.url}/apis/metrics.k8s.io/v1beta1/pods`, { method: 'POST', body: '{}' });
  assert.equal(post.status, 405);
});
