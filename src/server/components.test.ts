// The scheduler and the controller manager started on one thread with shared
// informers: one watch per resource between them, each with its own client,
// and the controller manager keeps working after the scheduler stops.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster } from '../client/testing/test-cluster.ts';
import { waitFor } from '../client/testing/wait-for.ts';
import { realClock } from '../machinery/clock.ts';
import { makeNode } from '../scheduler/testing/cluster.ts';
import type { Pod } from '../scheduler/types.ts';
import { runControllerManager, runScheduler, sharedInformers } from './components.ts';

const R = {
  nodes: resourceFor('', 'v1', 'nodes')!,
  pods: resourceFor('', 'v1', 'pods')!,
  replicasets: resourceFor('apps', 'v1', 'replicasets')!,
};

const replicaSet = (name: string, replicas: number): KubeObject => {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  } as KubeObject;
};

test('components on one thread share one watch per resource; one stopping leaves the other working', async () => {
  const cluster = await startTestCluster();
  const lists: string[] = [];
  const watches: string[] = [];
  const agents = new Set<string>();
  cluster.apiServer.server.on('request', (req: IncomingMessage) => {
    const agent = req.headers['user-agent'] ?? '';
    const path = req.url!.split('?')[0]!;
    if (req.method !== 'GET') agents.add(agent);
    else if (agent !== 'skiff-client' && !path.includes('/kube-system/leases/')) (req.url!.includes('watch=true') ? watches : lists).push(path);
  });
  const informers = sharedInformers(cluster.url);
  const opts = { server: cluster.url, clock: realClock, log: () => {}, leaderElect: true, informers };
  const scheduler = await runScheduler(opts);
  const cm = await runControllerManager(opts, {}, ['replicaset', 'nodelifecycle']);
  try {
    const c = cluster.client;
    await c.create(R.nodes, undefined, makeNode('n1') as unknown as KubeObject);
    await c.create(R.replicasets, 'default', replicaSet('a', 2));
    const podsOf = async (app: string) => ((await c.list<KubeObject>(R.pods, 'default')).items as unknown as Pod[]).filter((p) => p.metadata.labels?.['app'] === app);
    await waitFor(async () => (await podsOf('a')).filter((p) => p.spec?.nodeName === 'n1').length === 2, '2 bound pods', 15_000);
    // Both components listed before they acted; their watches follow the lists.
    const leases = '/apis/coordination.k8s.io/v1/leases';
    await waitFor(() => ['/api/v1/pods', '/api/v1/nodes', leases].every((p) => watches.includes(p)), 'the watches', 5000);
    await new Promise((r) => setTimeout(r, 300));
    for (const requests of [lists, watches]) {
      assert.equal(requests.filter((p) => p === '/api/v1/pods').length, 1, 'one pod list and watch for both');
      assert.equal(requests.filter((p) => p === '/api/v1/nodes').length, 1, 'one node list and watch for both');
    }
    assert.deepEqual(watches.filter((p, i) => watches.indexOf(p) !== i), [], 'no resource watched twice');
    // Writes still carry each component's own name (field manager, event source).
    assert.ok(agents.has('scheduler/v1.32.0 (skiff)'));
    assert.ok(agents.has('controller-manager/v1.32.0 (skiff)'));

    await scheduler.stop();
    await c.create(R.replicasets, 'default', replicaSet('b', 3));
    await waitFor(async () => (await podsOf('b')).length === 3, "the controller manager's pods after the scheduler stopped", 15_000);
    assert.ok((await podsOf('b')).every((p) => !p.spec?.nodeName), 'no scheduler binds them');
  } finally {
    await cm.stop();
    await scheduler.stop();
    informers.stop();
    await cluster.stop();
  }
});
