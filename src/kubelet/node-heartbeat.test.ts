import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { FakeClock } from '../machinery/clock.ts';
import { NodeHeartbeat } from './node-heartbeat.ts';
import { defaultNodeLabels, type NodeConfig } from './node-status.ts';
import type { Lease, Node } from './types.ts';

const nodes = resourceFor('', 'v1', 'nodes')!;
const leases = resourceFor('coordination.k8s.io', 'v1', 'leases')!;
let cluster: TestCluster;

before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

const cfg = (name: string): NodeConfig => ({
  name,
  capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
  labels: defaultNodeLabels(name),
  internalIP: '10.0.0.1',
  kubeletPort: 10250,
  osImage: 'test',
  kernelVersion: '6.1',
  containerRuntimeVersion: 'fake://0.1.0',
  machineID: name,
});

const flush = async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => setTimeout(r, 2));
};
const lease = async (name: string) => (await cluster.client.get<KubeObject>(leases, 'kube-node-lease', name)) as unknown as Lease;
const node = async (name: string) => (await cluster.client.get<KubeObject>(nodes, undefined, name)) as unknown as Node;

test('leases renew every 10 s of (fake) time, spread over the interval; node status every 5 minutes', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const hb = new NodeHeartbeat({ client: cluster.client, clock, log: () => {} });
  await hb.registerAll([cfg('hb-0'), cfg('hb-1'), cfg('hb-2'), cfg('hb-3')]);
  const first = await lease('hb-0');
  assert.equal(first.spec.renewTime, '2026-01-01T00:00:00.000000Z');
  assert.equal(first.spec.holderIdentity, 'hb-0');
  assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
  assert.equal((await node('hb-0')).status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', 'Ready from registration on');
  hb.start();
  // Four nodes over 10 s: one every 2.5 s.
  clock.advance(2500);
  await flush();
  assert.equal((await lease('hb-0')).spec.renewTime, '2026-01-01T00:00:02.500000Z');
  assert.equal((await lease('hb-3')).spec.renewTime, '2026-01-01T00:00:00.000000Z');
  clock.advance(7500);
  await flush();
  assert.equal((await lease('hb-3')).spec.renewTime, '2026-01-01T00:00:10.000000Z');
  const before = (await node('hb-1')).status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
  for (let t = 0; t < 300_000; t += 10_000) {
    clock.advance(10_000);
    await flush();
  }
  const ready = (await node('hb-1')).status?.conditions?.find((c) => c.type === 'Ready');
  assert.notEqual(ready?.lastHeartbeatTime, before);
  assert.equal(ready?.lastTransitionTime, '2026-01-01T00:00:00Z');
  hb.stop();
});

test('a restarted kubelet adopts its existing Node and Lease', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 2));
  const hb = new NodeHeartbeat({ client: cluster.client, clock, log: () => {} });
  const n = await hb.register({ ...cfg('hb-0'), labels: { ...defaultNodeLabels('hb-0'), extra: 'yes' } });
  assert.equal(n.metadata.labels?.['extra'], 'yes');
  assert.equal((await lease('hb-0')).spec.renewTime, '2026-01-02T00:00:00.000000Z');
});

test('a node condition someone else set stays through the kubelet\'s reports, and does not count as a change', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 3));
  const hb = new NodeHeartbeat({ client: cluster.client, clock, log: () => {} });
  await hb.register(cfg('hb-foreign'));
  const foreign = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'routes are set up', lastTransitionTime: '2026-01-03T00:00:00Z' };
  await cluster.client.patch(nodes, undefined, 'hb-foreign', 'strategic', { status: { conditions: [foreign] } }, { subresource: 'status' });
  // A change the kubelet reports (memory pressure) goes out at once; the other condition is kept.
  const before = hb.statusWrites;
  hb.update({ ...cfg('hb-foreign'), pressure: { memory: true, disk: false, pid: false } });
  await hb.reportNow('hb-foreign');
  let n = await node('hb-foreign');
  assert.equal(n.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status, 'True');
  assert.deepEqual(n.status?.conditions?.find((c) => c.type === 'NetworkUnavailable'), foreign);
  assert.equal(hb.statusWrites, before + 1);
  // Nothing of the kubelet's changed: no write, though the stored status has a condition the kubelet does not report.
  await hb.reportNow('hb-foreign');
  assert.equal(hb.statusWrites, before + 1);
  n = await node('hb-foreign');
  assert.deepEqual(n.status?.addresses, [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'hb-foreign' }]);
});
