import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { realClock } from '../../machinery/clock.ts';
import type { Lease, Node, Pod } from '../types.ts';
import { HollowNodes } from './hollow-nodes.ts';

const pods = resourceFor('', 'v1', 'pods')!;
const nodes = resourceFor('', 'v1', 'nodes')!;
const leases = resourceFor('coordination.k8s.io', 'v1', 'leases')!;
const events = resourceFor('', 'v1', 'events')!;

let cluster: TestCluster;
let sim: HollowNodes;

before(async () => {
  cluster = await startTestCluster();
  sim = new HollowNodes({ client: cluster.newClient(), clock: realClock, log: () => {}, count: 4, zones: 2, cpu: '2', pods: 5, checkVolumes: true });
  await sim.start();
});

after(async () => {
  sim.stop();
  await cluster.stop();
});

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const getPod = async (name: string) => (await cluster.client.get<KubeObject>(pods, 'default', name)) as unknown as Pod;

test('hollow nodes register Ready with labels, capacity, nodeInfo and a Lease', async () => {
  const list = await cluster.client.list<KubeObject>(nodes, undefined);
  assert.deepEqual(list.items.map((n) => n.metadata.name).sort(), ['sim-0', 'sim-1', 'sim-2', 'sim-3']);
  const n = list.items.find((x) => x.metadata.name === 'sim-1') as unknown as Node;
  assert.equal(n.metadata.labels?.['kubernetes.io/hostname'], 'sim-1');
  assert.equal(n.metadata.labels?.['topology.kubernetes.io/zone'], 'zone-1');
  assert.equal(n.metadata.labels?.['node-role.kubernetes.io/agent'], '');
  assert.equal(n.status?.capacity?.cpu, '2');
  assert.equal(n.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
  assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  const lease = (await cluster.client.get<KubeObject>(leases, 'kube-node-lease', 'sim-1')) as unknown as Lease;
  assert.equal(lease.spec.holderIdentity, 'sim-1');
  assert.equal(lease.spec.leaseDurationSeconds, 40);
  assert.ok(lease.spec.renewTime);
});

test('a pod bound to a hollow node runs with an IP from its range, and a crashing one restarts', async () => {
  const mk = (name: string, node: string, annotations: Record<string, string> = {}) =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', annotations }, spec: { nodeName: node, containers: [{ name: 'app', image: 'busybox' }] } }) as unknown as KubeObject;
  await cluster.client.create(pods, 'default', mk('web', 'sim-2'));
  await cluster.client.create(pods, 'default', mk('crash', 'sim-3', { 'sim.skiff.io/exit-code': '1', 'sim.skiff.io/exit-after': '100ms' }));
  const web = await waitFor('web Running', async () => {
    const p = await getPod('web');
    return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? p : undefined;
  });
  assert.match(web.status!.podIP!, /^10\.64\.2\.\d+$/);
  assert.equal(web.status!.hostIP, '172.16.0.3');
  const crash = await waitFor('crash restarted', async () => {
    const p = await getPod('crash');
    return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? p : undefined;
  });
  assert.equal(crash.status!.containerStatuses![0]!.lastState.terminated?.exitCode, 1);
  const evs = await cluster.client.list<KubeObject>(events, 'default', { fieldSelector: 'involvedObject.name=web' });
  const reasons = evs.items.map((e) => e['reason']);
  for (const r of ['Pulling', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `event ${r} in ${reasons.join(',')}`);
  assert.deepEqual(evs.items[0]!['source'], { component: 'kubelet', host: 'sim-2' });
});

test('deleting a pod: the kubelet stops it and removes the object', async () => {
  await cluster.client.delete(pods, 'default', 'web', { gracePeriodSeconds: 1 });
  await waitFor('web gone', async () => {
    try {
      await getPod('web');
      return undefined;
    } catch {
      return true;
    }
  });
  // The sandbox goes right after the object.
  await waitFor('sandbox removed', async () => (sim.runtimes.get('sim-2')!.counts().sandboxes === 0 ? true : undefined));
});

test('admission: a pod asking for more cpu than the node has is Failed with OutOfcpu', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big', namespace: 'default' }, spec: { nodeName: 'sim-0', containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '3' } } }] } };
  await cluster.client.create(pods, 'default', pod as unknown as KubeObject);
  const p = await waitFor('big Failed', async () => {
    const x = await getPod('big');
    return x.status?.phase === 'Failed' ? x : undefined;
  });
  assert.equal(p.status!.reason, 'OutOfcpu');
  assert.match(p.status!.message!, /^Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000$/);
});

test('a podCIDR assigned after start: new pods get addresses from it, running ones keep theirs', async () => {
  const mk = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'sim-1', containers: [{ name: 'app', image: 'busybox' }] } }) as unknown as KubeObject;
  const ipOf = (name: string) => waitFor(`${name} has an IP`, async () => (await getPod(name)).status?.podIP);
  await cluster.client.create(pods, 'default', mk('before'));
  const before = await ipOf('before');
  assert.match(before, /^10\.64\.1\.\d+$/);
  await cluster.client.patch(nodes, undefined, 'sim-1', 'merge', { spec: { podCIDR: '10.250.7.0/24', podCIDRs: ['10.250.7.0/24'] } });
  await waitFor('the runtime follows the podCIDR', async () => (sim.runtimes.get('sim-1')!.podCIDR === '10.250.7.0/24' ? true : undefined));
  await cluster.client.create(pods, 'default', mk('after'));
  assert.match(await ipOf('after'), /^10\.250\.7\.\d+$/);
  assert.equal((await getPod('before')).status?.podIP, before);
});

test('with volume checks, a pod mounting a missing configMap waits in ContainerCreating with FailedMount', async () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mounts', namespace: 'default' },
    spec: { nodeName: 'sim-0', volumes: [{ name: 'cfg', configMap: { name: 'absent' } }], containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }] } };
  await cluster.client.create(pods, 'default', pod as unknown as KubeObject);
  const p = await waitFor('ContainerCreating', async () => {
    const x = await getPod('mounts');
    return x.status?.containerStatuses?.[0]?.state.waiting?.reason === 'ContainerCreating' ? x : undefined;
  });
  assert.equal(p.status!.phase, 'Pending');
  const evs = await waitFor('FailedMount', async () => {
    const list = await cluster.client.list<KubeObject>(events, 'default', { fieldSelector: 'involvedObject.name=mounts' });
    return list.items.some((e) => e['reason'] === 'FailedMount') ? list.items : undefined;
  });
  assert.match(String(evs.find((e) => e['reason'] === 'FailedMount')!['message']), /configmap "absent" not found/);
});
