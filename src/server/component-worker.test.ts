// The scheduler and the controller manager sharing one worker thread, against
// an in-process API server: both work (a ReplicaSet's pods are created and
// bound), both hold their leases, and a failing component fails the start.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster } from '../client/testing/test-cluster.ts';
import { makeNode } from '../scheduler/testing/cluster.ts';
import type { Pod } from '../scheduler/types.ts';
import { runInWorker } from './component-worker.ts';

const R = {
  nodes: resourceFor('', 'v1', 'nodes')!,
  pods: resourceFor('', 'v1', 'pods')!,
  leases: resourceFor('coordination.k8s.io', 'v1', 'leases')!,
  replicasets: resourceFor('apps', 'v1', 'replicasets')!,
};

async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const v = await f();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('scheduler and controller manager on one thread: pods of a ReplicaSet are created and bound', async () => {
  const cluster = await startTestCluster();
  const running = await runInWorker([
    { component: 'scheduler', server: cluster.url, leaderElect: true, options: {} },
    { component: 'controller-manager', server: cluster.url, leaderElect: true, options: {}, only: ['replicaset'] },
  ]);
  try {
    const c = cluster.client;
    await c.create(R.nodes, undefined, makeNode('n1') as unknown as KubeObject);
    const labels = { app: 'w' };
    await c.create(R.replicasets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'w' },
      spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    } as KubeObject);
    const bound = await eventually('2 bound pods', async () => {
      const pods = (await c.list<KubeObject>(R.pods, 'default')).items as unknown as Pod[];
      const on = pods.filter((p) => p.spec?.nodeName === 'n1');
      return on.length === 2 ? on : undefined;
    });
    assert.equal(bound.length, 2);
    const leases = (await c.list<KubeObject>(R.leases, 'kube-system')).items.map((l) => l.metadata.name).sort();
    assert.deepEqual(leases, ['kube-controller-manager', 'kube-scheduler']);
  } finally {
    await running.stop();
    await cluster.stop();
  }
});

test('a component that cannot start fails the thread, naming the component', async () => {
  const cluster = await startTestCluster();
  try {
    await assert.rejects(
      runInWorker([
        { component: 'scheduler', server: cluster.url, leaderElect: false, options: { configFile: '/nonexistent/skiff-scheduler.yaml' } },
        { component: 'controller-manager', server: cluster.url, leaderElect: false, options: {}, only: ['replicaset'] },
      ]),
      /^Error: scheduler: .*skiff-scheduler\.yaml/,
    );
  } finally {
    await cluster.stop();
  }
});
