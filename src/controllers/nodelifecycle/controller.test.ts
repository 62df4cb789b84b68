// Node lifecycle in fake time against a real API server: leases stop, the node
// goes Unknown, gets tainted, its pods are evicted after their tolerations.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { FakeClock, rfc3339Micro } from '../../machinery/clock.ts';
import { isNotFound } from '../../machinery/status.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../garbagecollector/test-context.ts';
import { startNodeLifecycleController, type RunningNodeLifecycle } from './controller.ts';
import type { Lease } from './node-monitor.ts';
import type { Pod } from './taint-eviction.ts';
import type { Node } from './taints.ts';

const r = (group: string, kind: string) => resourceForKind(group, kind)!;
const clock = new FakeClock(Date.now());
let env: TestControllerEnv;
let lc: RunningNodeLifecycle;

before(async () => {
  env = await startTestEnv({ clock, options: { nodeMonitorGracePeriodMs: 40_000, nodeEvictionRate: 0.1 } });
  lc = startNodeLifecycleController(env.ctx);
  env.ctx.informers.start();
  await env.ctx.informers.waitForSync();
});

after(async () => {
  await lc.stop();
  await env.stop();
});

async function addNode(name: string, zone = 'z1'): Promise<void> {
  const c = env.cluster.client;
  const node = await c.create<Node>(r('', 'Node'), undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kubernetes.io/zone': zone } } });
  node.status = { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString() }] };
  await c.update(r('', 'Node'), undefined, node, { subresource: 'status' });
  await c.create<Lease>(r('coordination.k8s.io', 'Lease'), 'kube-node-lease', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name },
    spec: { holderIdentity: name, renewTime: rfc3339Micro(clock.now()) },
  });
}

async function renew(names: string[]): Promise<void> {
  for (const name of names) {
    await env.cluster.client.patch(r('coordination.k8s.io', 'Lease'), 'kube-node-lease', name, 'merge', { spec: { renewTime: rfc3339Micro(clock.now()) } });
  }
  // Let the informer see the renewals before the next pass.
  await eventually(() => names.every((n) => env.ctx.informers.informerFor<Lease>(r('coordination.k8s.io', 'Lease')).lister.get('kube-node-lease', n)?.spec?.renewTime === rfc3339Micro(clock.now())));
}

const getNode = (name: string) => env.cluster.client.get<Node>(r('', 'Node'), undefined, name);
const taintsOf = async (name: string) => ((await getNode(name)).spec?.taints ?? []).map((t) => `${t.key.replace('node.kubernetes.io/', '')}:${t.effect}`).sort();

async function addPod(name: string, node: string, tolerations?: unknown[]): Promise<void> {
  await env.cluster.client.create<Pod>(r('', 'Pod'), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], ...(tolerations ? { tolerations } : {}) },
  } as Pod);
}

async function podState(name: string): Promise<'gone' | 'terminating' | 'alive'> {
  try {
    const p = await env.cluster.client.get<Pod>(r('', 'Pod'), 'default', name);
    return p.metadata.deletionTimestamp ? 'terminating' : 'alive';
  } catch (e) {
    if (isNotFound(e)) return 'gone';
    throw e;
  }
}

/** Moves fake time in steps, running the monitor after each, renewing the leases of `alive`. */
async function run(ms: number, alive: string[], step = 5_000): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(step);
    await renew(alive);
    await lc.pass();
  }
}

test('a node that stops renewing goes Unknown, is tainted, and its pods are evicted per toleration', async () => {
  for (const n of ['a1', 'a2', 'a3']) await addNode(n);
  await addPod('default-tolerations', 'a1');
  await addPod('zero-seconds', 'a1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
  await addPod('forever', 'a1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
  await addPod('elsewhere', 'a2');
  const forever = await env.cluster.client.get<Pod>(r('', 'Pod'), 'default', 'forever');
  forever.status = { ...forever.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } as NonNullable<Pod['status']>;
  await env.cluster.client.update(r('', 'Pod'), 'default', forever, { subresource: 'status' });
  await run(30_000, ['a1', 'a2', 'a3']);
  assert.deepEqual(await taintsOf('a1'), []);
  await run(45_000, ['a2', 'a3']);
  const a1 = await getNode('a1');
  const ready = a1.status?.conditions?.find((c) => c.type === 'Ready');
  assert.equal(ready?.status, 'Unknown');
  assert.equal(ready?.reason, 'NodeStatusUnknown');
  assert.deepEqual(await taintsOf('a1'), ['unreachable:NoExecute', 'unreachable:NoSchedule']);
  assert.deepEqual(await taintsOf('a2'), []);
  // Its pods are no longer Ready: endpoints stop sending to them.
  const marked = await env.cluster.client.get<Pod & { status: { conditions?: { type: string; status: string; reason?: string }[] } }>(r('', 'Pod'), 'default', 'forever');
  const podReady = marked.status.conditions?.find((c) => c.type === 'Ready');
  assert.equal(podReady?.status, 'False');
  assert.equal(podReady?.reason, 'NodeNotReady');
  await eventually(async () => {
    clock.advance(10);
    return (await podState('zero-seconds')) === 'terminating';
  }, 5000, 'zero-seconds evicted');
  const evicted = await env.cluster.client.get<Pod & { status: { conditions?: { type: string; reason?: string; message?: string }[] } }>(r('', 'Pod'), 'default', 'zero-seconds');
  const disrupted = evicted.status.conditions?.find((c) => c.type === 'DisruptionTarget');
  assert.equal(disrupted?.reason, 'DeletionByTaintManager');
  assert.equal(disrupted?.message, 'Taint manager: deleting due to NoExecute taint');
  assert.equal(await podState('default-tolerations'), 'alive');
  // Steps shorter than the grace period: the controller's own timers run passes while time moves.
  await run(300_000, ['a2', 'a3'], 20_000);
  await eventually(async () => {
    clock.advance(10);
    return (await podState('default-tolerations')) === 'terminating';
  }, 5000, 'default-tolerations evicted after 300 s');
  assert.equal(await podState('forever'), 'alive');
  assert.equal(await podState('elsewhere'), 'alive');

  // The kubelet comes back: Ready again, taints removed at once.
  const back = await getNode('a1');
  back.status!.conditions = [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: new Date().toISOString() }];
  await env.cluster.client.update(r('', 'Node'), undefined, back, { subresource: 'status' });
  await eventually(async () => {
    await run(5_000, ['a1', 'a2', 'a3']);
    return (await taintsOf('a1')).length === 0;
  }, 5000, 'taints removed');
});

test('NoExecute taints go at the zone rate; with every node down nothing is tainted for eviction', async () => {
  for (const n of ['b1', 'b2', 'b3', 'b4', 'b5']) await addNode(n, 'z2');
  await run(45_000, ['a1', 'a2', 'a3', 'b3', 'b4', 'b5']);
  // Two of five fail: a normal zone, 0.1 nodes/s: one now, the next after 10 s.
  await run(5_000, ['a1', 'a2', 'a3', 'b3', 'b4', 'b5']);
  const noExec = async () => (await Promise.all(['b1', 'b2'].map(taintsOf))).filter((t) => t.includes('unreachable:NoExecute')).length;
  const noSched = async () => (await Promise.all(['b1', 'b2'].map(taintsOf))).filter((t) => t.includes('unreachable:NoSchedule')).length;
  assert.equal(await noSched(), 2);
  assert.equal(await noExec(), 1);
  await run(10_000, ['a1', 'a2', 'a3', 'b3', 'b4', 'b5']);
  assert.equal(await noExec(), 2);

  // Zone z3 loses all its nodes while z1 and z2 keep some: z3 is fully disrupted, still evicted at the normal rate.
  await addNode('c1', 'z3');
  await run(50_000, ['a1', 'a2', 'a3', 'b3', 'b4', 'b5']);
  assert.equal(lc.monitor.zoneStates().get(':\u0000:z3'), 'FullDisruption');
  assert.deepEqual(await taintsOf('c1'), ['unreachable:NoExecute', 'unreachable:NoSchedule']);

  // Everything down: the controller suspects itself and lifts the NoExecute taints.
  await run(50_000, []);
  for (const n of ['a1', 'b3', 'c1']) assert.deepEqual(await taintsOf(n), ['unreachable:NoSchedule'], n);
});
