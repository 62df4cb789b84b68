// The Deployment reconcile against a real in-process API server, caches the
// test refreshes by hand, ReplicaSet status written by the test (standing in
// for the ReplicaSet controller), and time from a FakeClock.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { FakeClock } from '../../machinery/clock.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { memoryRecorder, refreshableLister, testTemplate } from '../common/testing/fixtures.ts';
import type { Deployment, DeploymentSpec, Pod, ReplicaSet } from '../common/types.ts';
import { revisionAnnotation, revisionHistoryAnnotation } from './annotations.ts';
import { deploymentsResource as deployR, replicaSetsResource as rsR, type DeploymentSyncDeps } from './context.ts';
import { podTemplateHashLabel } from './hash.ts';
import { syncDeployment } from './sync.ts';

let cluster: TestCluster;
const clock = new FakeClock(Date.UTC(2026, 0, 1));
before(async () => {
  cluster = await startTestCluster({ clock });
});
after(async () => {
  await cluster.stop();
});

async function setup(ns: string, spec: DeploymentSpec) {
  await cluster.client.create(resourceForKind('', 'Namespace')!, undefined, { metadata: { name: ns } });
  await cluster.client.create<Deployment>(deployR, ns, { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: testTemplate({ app: 'web' }, 'web:1'), ...spec } });
  const deploymentLister = refreshableLister<Deployment>(cluster.client, deployR, ns);
  const rsLister = refreshableLister<ReplicaSet>(cluster.client, rsR, ns);
  const podLister = refreshableLister<Pod>(cluster.client, resourceForKind('', 'Pod')!, ns);
  const recorder = memoryRecorder();
  const deps: DeploymentSyncDeps = { client: cluster.client, deploymentLister, rsLister, podLister, recorder, clock };
  const sync = async () => {
    await Promise.all([deploymentLister.refresh(), rsLister.refresh(), podLister.refresh()]);
    return syncDeployment(deps, `${ns}/web`);
  };
  /** The sets, ordered by image (web:1, web:2, …). */
  const sets = async () => (await cluster.client.list<ReplicaSet>(rsR, ns)).items.sort((a, b) => imageOf(a).localeCompare(imageOf(b)));
  const get = () => cluster.client.get<Deployment>(deployR, ns, 'web');
  /** Plays the ReplicaSet controller: every set has spec.replicas pods, `available` of them available. */
  const settle = async (available?: Record<string, number>) => {
    for (const rs of await sets()) {
      const n = rs.spec?.replicas ?? 0;
      const a = Math.min(n, available?.[rs.metadata.name!] ?? n);
      const status = { replicas: n, readyReplicas: a, availableReplicas: a, fullyLabeledReplicas: n, observedGeneration: rs.metadata.generation ?? 1 };
      await cluster.client.update(rsR, ns, { ...rs, status }, { subresource: 'status' });
    }
  };
  const setImage = (image: string) => cluster.client.patch(deployR, ns, 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
  return { sync, sets, get, settle, setImage, recorder };
}

const imageOf = (rs: ReplicaSet): string => (rs.spec?.template?.spec?.['containers'] as { image: string }[])[0]!.image;
const sizes = (rss: ReplicaSet[]) => rss.map((r) => r.spec?.replicas);
const reasons = (d: Deployment) => Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, `${c.status} ${c.reason}`]));

test('a new Deployment gets a ReplicaSet named by its template hash, revision 1, an event and conditions', async () => {
  const t = await setup('d1', { replicas: 3 });
  await t.sync();
  const [rs] = await t.sets();
  const hash = rs!.spec?.template?.metadata?.labels?.[podTemplateHashLabel];
  assert.ok(hash);
  assert.equal(rs!.metadata.name, `web-${hash}`);
  assert.equal(rs!.spec?.replicas, 3);
  assert.deepEqual(rs!.spec?.selector, { matchLabels: { app: 'web', [podTemplateHashLabel]: hash } });
  assert.equal(rs!.metadata.annotations?.[revisionAnnotation], '1');
  assert.equal(rs!.metadata.ownerReferences?.[0]?.kind, 'Deployment');
  assert.deepEqual(t.recorder.events.map((e) => e.message), [`Scaled up replica set web-${hash} from 0 to 3`]);
  let d = await t.get();
  assert.equal(d.metadata.annotations?.[revisionAnnotation], '1');
  assert.equal(reasons(d)['Progressing'], 'True NewReplicaSetCreated');
  await t.settle();
  await t.sync();
  d = await t.get();
  assert.deepEqual(reasons(d), { Progressing: 'True NewReplicaSetAvailable', Available: 'True MinimumReplicasAvailable' });
  assert.equal(d.status?.availableReplicas, 3);
});

test('a rolling update surges, scales old sets down only as new pods become available, and completes', async () => {
  const t = await setup('d2', { replicas: 4, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } });
  await t.sync();
  await t.settle();
  await t.sync();
  await t.setImage('web:2');
  await t.sync();
  let [old, neu] = await t.sets();
  assert.deepEqual(sizes([old!, neu!]), [4, 1], 'one surge pod');
  await t.settle({ [neu!.metadata.name!]: 0 });
  await t.sync();
  assert.deepEqual(sizes(await t.sets()), [4, 1], 'nothing removed while the new pod is unavailable');
  for (let i = 0; i < 10; i++) {
    await t.settle();
    await t.sync();
  }
  [old, neu] = await t.sets();
  assert.deepEqual(sizes([old!, neu!]), [0, 4]);
  const d = await t.get();
  assert.equal(d.metadata.annotations?.[revisionAnnotation], '2');
  assert.equal(reasons(d)['Progressing'], 'True NewReplicaSetAvailable');
  // Back to web:1: the old set is reused with the next revision, its old one kept in revision-history.
  await t.setImage('web:1');
  for (let i = 0; i < 10; i++) {
    await t.settle();
    await t.sync();
  }
  [old, neu] = await t.sets();
  assert.deepEqual(sizes([old!, neu!]), [4, 0]);
  assert.equal(old!.metadata.annotations?.[revisionAnnotation], '3');
  assert.equal(old!.metadata.annotations?.[revisionHistoryAnnotation], '1');
  assert.ok(t.recorder.events.some((e) => /^Scaled down replica set web-\w+ from 1 to 0$/.test(e.message)));
});

test('Recreate scales the old set to zero before the new one starts', async () => {
  const t = await setup('d3', { replicas: 3, strategy: { type: 'Recreate' } });
  await t.sync();
  await t.settle();
  await t.setImage('web:2');
  await t.sync();
  assert.deepEqual(sizes(await t.sets()), [0]);
  await t.sync();
  assert.equal((await t.sets()).length, 1, 'no new set while the old one still reports pods');
  await t.settle();
  await t.sync();
  assert.deepEqual(sizes(await t.sets()), [0, 3]);
});

test('scaling mid-rollout shares the change in proportion to each set', async () => {
  const t = await setup('d4', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  await t.sync();
  await t.settle();
  await t.setImage('web:2');
  await t.sync(); // the new set surges to 3
  const [, newRS] = await t.sets();
  await t.settle({ [newRS!.metadata.name!]: 0 });
  await t.sync(); // the old set goes down by the 2 unavailable allowed
  await t.settle({ [newRS!.metadata.name!]: 0 });
  await t.sync(); // and the new one takes their room
  const [o0, n0] = sizes(await t.sets()) as [number, number];
  assert.equal(o0 + n0, 13);
  assert.ok(n0 > 0 && o0 > 0);
  await cluster.client.patch(deployR, 'd4', 'web', 'merge', { spec: { replicas: 20 } });
  await t.sync();
  // 20 + 15% surge (3) = 23 allowed, 13 present: 10 more, shared by size.
  const [o, n] = sizes(await t.sets()) as [number, number];
  assert.equal(o + n, 23);
  assert.ok(Math.abs(o - (o0 * 23) / 13) <= 1 && Math.abs(n - (n0 * 23) / 13) <= 1, `from ${o0}/${n0} to ${o}/${n}`);
});

test('a rollout that makes no progress within progressDeadlineSeconds is marked ProgressDeadlineExceeded', async () => {
  const t = await setup('d5', { replicas: 2, progressDeadlineSeconds: 30 });
  await t.sync();
  await t.settle({});
  const [rs] = await t.sets();
  await t.settle({ [rs!.metadata.name!]: 0 });
  const r = await t.sync();
  assert.equal(reasons(await t.get())['Progressing'], 'True ReplicaSetUpdated');
  const again = await t.sync();
  assert.ok((again.requeueAfterMs ?? 0) > 29_000, `requeued after ${again.requeueAfterMs}`);
  clock.advance(31_000);
  await t.sync();
  assert.equal(reasons(await t.get())['Progressing'], 'False ProgressDeadlineExceeded');
  void r;
});

test('a paused Deployment does not roll out a new template; old sets beyond revisionHistoryLimit are deleted', async () => {
  const t = await setup('d6', { replicas: 1, revisionHistoryLimit: 1, strategy: { type: 'Recreate' } });
  for (const image of ['web:2', 'web:3']) {
    await t.sync();
    await t.settle();
    await t.sync();
    await t.setImage(image);
    for (let i = 0; i < 4; i++) {
      await t.sync();
      await t.settle();
    }
  }
  await t.sync();
  assert.equal((await t.sets()).length, 2, 'the oldest empty set is gone, one kept');
  await cluster.client.patch(deployR, 'd6', 'web', 'merge', { spec: { paused: true } });
  await t.setImage('web:4');
  await t.sync();
  assert.ok(!(await t.sets()).some((rs) => imageOf(rs) === 'web:4'), 'no new set while paused');
  assert.equal(reasons(await t.get())['Progressing'], 'Unknown DeploymentPaused');
  await cluster.client.patch(deployR, 'd6', 'web', 'merge', { spec: { paused: false } });
  for (let i = 0; i < 3; i++) {
    await t.sync();
    await t.settle();
  }
  assert.ok((await t.sets()).some((rs) => imageOf(rs) === 'web:4'), 'rolled out once resumed');
});
