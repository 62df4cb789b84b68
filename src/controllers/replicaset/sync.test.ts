// The ReplicaSet reconcile against a real in-process API server, with caches
// the test refreshes by hand and time from a FakeClock.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { FakeClock, rfc3339 } from '../../machinery/clock.ts';
import { forbidden } from '../../machinery/status.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import type { Client } from '../../client/interfaces.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import { PodControl } from '../common/pod-control.ts';
import { memoryRecorder, refreshableLister, testTemplate } from '../common/testing/fixtures.ts';
import type { Pod, ReplicaSet } from '../common/types.ts';
import { replicaSetKind, replicationControllerKind } from './kind.ts';
import { syncReplicaSet, type ReplicaSetSyncDeps } from './sync.ts';

const podsR = resourceForKind('', 'Pod')!;
const rsR = replicaSetKind.resource;
let cluster: TestCluster;
const clock = new FakeClock(Date.UTC(2026, 0, 1));

before(async () => {
  cluster = await startTestCluster({ clock });
});
after(async () => {
  await cluster.stop();
});

function setup(ns: string, client: Client = cluster.client, kind = replicaSetKind) {
  const rsLister = refreshableLister<ReplicaSet>(cluster.client, kind.resource, ns);
  const podLister = refreshableLister<Pod>(cluster.client, podsR, ns);
  const recorder = memoryRecorder();
  const expectations = new ControllerExpectations(clock);
  const deps: ReplicaSetSyncDeps = { kind, client, rsLister, podLister, expectations, podControl: new PodControl(client, recorder), clock, warmStart: new Map() };
  const sync = async (key: string) => {
    await rsLister.refresh();
    await podLister.refresh();
    return syncReplicaSet(deps, key);
  };
  return { deps, sync, recorder, expectations };
}

async function namespace(name: string): Promise<void> {
  await cluster.client.create(resourceForKind('', 'Namespace')!, undefined, { metadata: { name } });
}

async function makeRS(ns: string, name: string, replicas: number, extra: Record<string, unknown> = {}): Promise<ReplicaSet> {
  return cluster.client.create<ReplicaSet>(rsR, ns, {
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: testTemplate({ app: name }), ...extra },
  });
}

async function pods(ns: string): Promise<Pod[]> {
  return (await cluster.client.list<Pod>(podsR, ns)).items.filter((p) => !p.metadata.deletionTimestamp);
}

async function markReady(p: Pod, node?: string): Promise<void> {
  if (node) await cluster.client.postSubresource(podsR, p.metadata.namespace, p.metadata.name!, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { kind: 'Node', name: node } });
  const fresh = await cluster.client.get<Pod>(podsR, p.metadata.namespace, p.metadata.name!);
  fresh.status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(clock.now()) }] };
  await cluster.client.update(podsR, p.metadata.namespace, fresh, { subresource: 'status' });
}

test('creates the missing pods once, waits for them, and reports status', async () => {
  await namespace('rs1');
  const { sync, recorder, expectations } = setup('rs1');
  await makeRS('rs1', 'web', 3);
  await sync('rs1/web');
  const created = await pods('rs1');
  assert.equal(created.length, 3);
  for (const p of created) {
    assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(p.metadata.labels?.['app'], 'web');
    assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller]), [['ReplicaSet', 'web', true]]);
  }
  assert.equal(recorder.events.filter((e) => e.reason === 'SuccessfulCreate').length, 3);
  // The informer has not reported the creates yet: a second sync must not create again.
  assert.equal(expectations.satisfied('rs1/web'), false);
  await sync('rs1/web');
  assert.equal((await pods('rs1')).length, 3);
  for (let i = 0; i < 3; i++) expectations.creationObserved('rs1/web');
  await markReady(created[0]!);
  await markReady(created[1]!);
  await sync('rs1/web');
  const rs = await cluster.client.get<ReplicaSet>(rsR, 'rs1', 'web');
  assert.deepEqual(rs.status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });
});

test('scales down deleting the not-ready pod first', async () => {
  await namespace('rs2');
  const { sync, recorder } = setup('rs2');
  await makeRS('rs2', 'web', 3);
  await sync('rs2/web');
  const [a, b, c] = await pods('rs2');
  await markReady(a!, 'n1');
  await markReady(b!, 'n2');
  await cluster.client.patch(rsR, 'rs2', 'web', 'merge', { spec: { replicas: 2 } });
  const { sync: fresh } = setup('rs2');
  await fresh('rs2/web');
  const left = (await pods('rs2')).map((p) => p.metadata.name).sort();
  assert.deepEqual(left, [a!.metadata.name, b!.metadata.name].sort());
  assert.ok(recorder.events.length >= 3);
  void c;
});

test('adopts matching orphans, releases pods that stop matching, ignores pods of others', async () => {
  await namespace('rs3');
  const rs = await makeRS('rs3', 'web', 2);
  const orphan = await cluster.client.create<Pod>(podsR, 'rs3', { metadata: { name: 'orphan', labels: { app: 'web' } }, spec: testTemplate({}).spec });
  const foreign = await cluster.client.create<Pod>(podsR, 'rs3', {
    metadata: { name: 'foreign', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'other', uid: 'other-uid', controller: true }] },
    spec: testTemplate({}).spec,
  });
  const { sync } = setup('rs3');
  await sync('rs3/web');
  const adopted = await cluster.client.get<Pod>(podsR, 'rs3', 'orphan');
  assert.equal(adopted.metadata.ownerReferences?.[0]?.uid, rs.metadata.uid);
  assert.equal((await pods('rs3')).length, 3, 'orphan adopted plus one created; foreign untouched');
  assert.equal((await cluster.client.get<Pod>(podsR, 'rs3', 'foreign')).metadata.ownerReferences?.[0]?.uid, 'other-uid');
  await cluster.client.patch(podsR, 'rs3', 'orphan', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
  const { sync: again } = setup('rs3');
  await again('rs3/web');
  const released = await cluster.client.get<Pod>(podsR, 'rs3', 'orphan');
  assert.equal(released.metadata.ownerReferences, undefined);
  assert.equal((await pods('rs3')).filter((p) => p.metadata.labels?.['app'] === 'web').length, 3, 'a replacement was created');
  void foreign;
});

test('availableReplicas waits for minReadySeconds and the sync asks to come back', async () => {
  await namespace('rs4');
  const { sync, expectations } = setup('rs4');
  await makeRS('rs4', 'web', 1, { minReadySeconds: 10 });
  await sync('rs4/web');
  expectations.creationObserved('rs4/web');
  const [p] = await pods('rs4');
  await markReady(p!);
  const res = await sync('rs4/web');
  assert.equal(res.requeueAfterMs, 11_000);
  let rs = await cluster.client.get<ReplicaSet>(rsR, 'rs4', 'web');
  assert.equal(rs.status?.readyReplicas, 1);
  assert.equal(rs.status?.availableReplicas, 0);
  clock.advance(10_000);
  assert.deepEqual(await sync('rs4/web'), {});
  rs = await cluster.client.get<ReplicaSet>(rsR, 'rs4', 'web');
  assert.equal(rs.status?.availableReplicas, 1);
});

test('a rejected create sets ReplicaFailure, stops the batch, and clears once creates work', async () => {
  await namespace('rs5');
  let failing = true;
  let attempts = 0;
  const flaky: Client = Object.create(cluster.client, {
    create: {
      value: async (r: never, ns: never, obj: never) => {
        attempts++;
        if (failing) throw forbidden({ group: '', resource: 'pods' }, '', 'exceeded quota');
        return cluster.client.create(r, ns, obj);
      },
    },
  });
  const { sync, recorder, deps } = setup('rs5', flaky);
  await makeRS('rs5', 'web', 5);
  await assert.rejects(sync('rs5/web'), /exceeded quota/);
  assert.equal(attempts, 1, 'slow start: one failed call, not five');
  assert.equal(deps.warmStart?.has('rs5/web'), false, 'the next slow start begins at 1 again');
  assert.equal(recorder.events[0]?.reason, 'FailedCreate');
  let rs = await cluster.client.get<ReplicaSet>(rsR, 'rs5', 'web');
  assert.equal(rs.status?.conditions?.[0]?.type, 'ReplicaFailure');
  assert.equal(rs.status?.conditions?.[0]?.reason, 'FailedCreate');
  failing = false;
  await sync('rs5/web');
  rs = await cluster.client.get<ReplicaSet>(rsR, 'rs5', 'web');
  assert.equal(rs.status?.conditions, undefined);
  assert.equal((await pods('rs5')).length, 5);
  assert.equal(deps.warmStart?.get('rs5/web'), 32, 'creates that all worked start the next slow start bigger');
});

test('a ReplicationController keeps its pods the same way', async () => {
  await namespace('rc1');
  const rcR = replicationControllerKind.resource;
  await cluster.client.create(rcR, 'rc1', { metadata: { name: 'old' }, spec: { replicas: 2, selector: { app: 'old' }, template: testTemplate({ app: 'old' }) } });
  const { sync } = setup('rc1', cluster.client, replicationControllerKind);
  await sync('rc1/old');
  const ps = await pods('rc1');
  assert.equal(ps.length, 2);
  assert.deepEqual(ps[0]!.metadata.ownerReferences?.map((r) => [r.apiVersion, r.kind]), [['v1', 'ReplicationController']]);
  await sync('rc1/old'); // status counts what the cache holds: the next sync sees the new pods
  const rc = await cluster.client.get<ReplicaSet>(rcR, 'rc1', 'old');
  assert.equal(rc.status?.replicas, 2);
});
