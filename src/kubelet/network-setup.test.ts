import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { realClock } from '../machinery/clock.ts';
import { waitForPodCIDR } from './network-setup.ts';

const nodes = resourceFor('', 'v1', 'nodes')!;
let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

test('waits for node IPAM to set spec.podCIDR, saying what it waits for', async () => {
  await cluster.client.create<KubeObject>(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } as KubeObject);
  const lines: string[] = [];
  const waiting = waitForPodCIDR({ client: cluster.client, nodeName: 'n1', clock: realClock, log: (l) => lines.push(l), pollMs: 20, reportEveryMs: 50 });
  await new Promise((r) => setTimeout(r, 150));
  await cluster.client.patch(nodes, undefined, 'n1', 'merge', { spec: { podCIDR: '10.42.3.0/24', podCIDRs: ['10.42.3.0/24'] } });
  assert.equal(await waiting, '10.42.3.0/24');
  assert.ok(lines.some((l) => /still no spec.podCIDR.*--cluster-cidr/.test(l)), lines.join('\n'));
});

test('stops waiting when aborted', async () => {
  const ac = new AbortController();
  const waiting = waitForPodCIDR({ client: cluster.client, nodeName: 'missing', clock: realClock, log: () => undefined, pollMs: 20, signal: ac.signal });
  ac.abort();
  await assert.rejects(waiting, /stopped while waiting/);
});
