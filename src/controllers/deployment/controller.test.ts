// The Deployment and ReplicaSet controllers together, with real informers and
// work queues, against an in-process API server; a pod simulator plays
// scheduler and kubelets.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { realClock } from '../../machinery/clock.ts';
import { isPodReady } from '../common/pod-state.ts';
import { PodSimulator } from '../common/testing/pod-simulator.ts';
import { memoryRecorder, testTemplate } from '../common/testing/fixtures.ts';
import type { Deployment, Pod, ReplicaSet } from '../common/types.ts';
import { defaultControllerManagerOptions, type RunningController } from '../types.ts';
import { workloadControllers } from '../workload-controllers.ts';
import { revisionAnnotation } from './annotations.ts';

const podsR = resourceForKind('', 'Pod')!;
const deployR = resourceForKind('apps', 'Deployment')!;
const rsR = resourceForKind('apps', 'ReplicaSet')!;

let cluster: TestCluster;
let informers: InformerFactory;
let running: RunningController[] = [];
const recorder = memoryRecorder();
let readyNow = 0;
let minReadyDuringUpdate = Infinity;
let watchingFloor = false;

before(async () => {
  cluster = await startTestCluster();
  const client = cluster.newClient();
  informers = new InformerFactory(client, { log: () => {} });
  const ctx = { client, informers, clock: realClock, recorder: () => recorder, log: () => {}, options: defaultControllerManagerOptions };
  running = await Promise.all(workloadControllers.map((c) => c.start(ctx)));
  new PodSimulator({ client, informers, clock: realClock, nodes: ['n1', 'n2', 'n3'] });
  // Ready, not terminating pods of the test namespace, counted at every pod event.
  const podInf = informers.informerFor<Pod>(podsR);
  const count = (): void => {
    readyNow = podInf.lister.list('roll').filter((p) => isPodReady(p) && !p.metadata.deletionTimestamp).length;
    if (watchingFloor) minReadyDuringUpdate = Math.min(minReadyDuringUpdate, readyNow);
  };
  podInf.addEventHandler({ onAdd: count, onUpdate: count, onDelete: count });
  informers.start();
  await informers.waitForSync();
});

after(async () => {
  for (const r of running) await r.stop();
  informers.stop();
  await cluster.stop();
});

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const getD = (ns: string, name: string) => cluster.client.get<Deployment>(deployR, ns, name);
const rolledOut = (d: Deployment): boolean => {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && s.updatedReplicas === want && s.replicas === want && (s.availableReplicas ?? 0) >= want;
};

test('a Deployment of 6 reaches 6/6 available, then rolls out a new template with maxUnavailable 0 never below 6 ready', async () => {
  await cluster.client.create(resourceForKind('', 'Namespace')!, undefined, { metadata: { name: 'roll' } });
  await cluster.client.create<Deployment>(deployR, 'roll', {
    metadata: { name: 'web' },
    spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: testTemplate({ app: 'web' }, 'web:1'), strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } },
  });
  const d1 = await until('6/6 available', async () => {
    const d = await getD('roll', 'web');
    return rolledOut(d) && d;
  });
  assert.equal(d1.status?.availableReplicas, 6);
  assert.equal(recorder.events.filter((e) => e.reason === 'SuccessfulCreate').length, 6, JSON.stringify(recorder.events));
  assert.equal(d1.metadata.annotations?.[revisionAnnotation], '1');
  assert.deepEqual(d1.status?.conditions?.map((c) => [c.type, c.status, c.reason]).sort(), [
    ['Available', 'True', 'MinimumReplicasAvailable'],
    ['Progressing', 'True', 'NewReplicaSetAvailable'],
  ]);
  const [rs1] = (await cluster.client.list<ReplicaSet>(rsR, 'roll')).items;
  assert.match(rs1!.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.ok(recorder.events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set ${rs1!.metadata.name} from 0 to 6`));

  watchingFloor = true;
  await cluster.client.patch(deployR, 'roll', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } });
  const d2 = await until('rollout of web:2', async () => {
    const d = await getD('roll', 'web');
    return d.metadata.generation === 2 && rolledOut(d) && d;
  }, 30_000);
  watchingFloor = false;
  assert.ok(minReadyDuringUpdate >= 6, `ready pods dropped to ${minReadyDuringUpdate}`);
  assert.equal(d2.metadata.annotations?.[revisionAnnotation], '2');
  const sets = (await cluster.client.list<ReplicaSet>(rsR, 'roll')).items;
  assert.equal(sets.length, 2);
  const old = sets.find((s) => s.metadata.uid === rs1!.metadata.uid)!;
  await until('old set emptied', async () => (await cluster.client.get<ReplicaSet>(rsR, 'roll', old.metadata.name!)).status?.replicas === 0);
  const pods = (await cluster.client.list<Pod>(podsR, 'roll')).items.filter((p) => !p.metadata.deletionTimestamp);
  assert.equal(pods.length, 6);
  for (const p of pods) assert.equal((p.spec?.['containers'] as { image: string }[])[0]!.image, 'web:2');
});

test('scaling a Deployment scales its ReplicaSet; Recreate replaces every pod', async () => {
  await cluster.client.create(resourceForKind('', 'Namespace')!, undefined, { metadata: { name: 'rec' } });
  await cluster.client.create<Deployment>(deployR, 'rec', {
    metadata: { name: 'db' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'db' } }, template: testTemplate({ app: 'db' }, 'db:1'), strategy: { type: 'Recreate' } },
  });
  await until('2 available', async () => rolledOut(await getD('rec', 'db')));
  await cluster.client.patch(deployR, 'rec', 'db', 'merge', { spec: { replicas: 4 } }, { subresource: 'scale' });
  await until('4 available', async () => {
    const d = await getD('rec', 'db');
    return d.spec?.replicas === 4 && rolledOut(d);
  });
  await cluster.client.patch(deployR, 'rec', 'db', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'db:2' }] } } } });
  await until('recreated with db:2', async () => {
    const d = await getD('rec', 'db');
    if (d.metadata.generation !== 3 || !rolledOut(d)) return false;
    const pods = (await cluster.client.list<Pod>(podsR, 'rec')).items.filter((p) => !p.metadata.deletionTimestamp);
    return pods.length === 4 && pods.every((p) => (p.spec?.['containers'] as { image: string }[])[0]!.image === 'db:2');
  });
});
