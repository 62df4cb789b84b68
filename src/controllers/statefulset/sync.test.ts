import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import type { Pod } from '../common/types.ts';
import type { ControllerRevision } from '../history/revisions.ts';
import { syncStatefulSet, type StatefulSetSyncDeps } from './sync.ts';
import { podTemplate, startSyncEnv, type SyncEnv } from './test-env.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

const sets = resourceForKind('apps', 'StatefulSet')!;
const pvcs = resourceForKind('', 'PersistentVolumeClaim')!;
let env: SyncEnv;
let deps: StatefulSetSyncDeps;

before(async () => {
  env = await startSyncEnv();
  deps = {
    client: env.client,
    clock: env.clock,
    sets: env.lister<StatefulSet>('apps', 'StatefulSet'),
    pods: env.lister<Pod>('', 'Pod'),
    revisions: env.lister<ControllerRevision>('apps', 'ControllerRevision'),
    claims: env.lister<PersistentVolumeClaim>('', 'PersistentVolumeClaim'),
    recorder: env.recorder,
    requeueAfter: env.requeueAfter,
  };
});
after(() => env.stop());

async function createSet(name: string, spec: Record<string, unknown>): Promise<StatefulSet> {
  return env.client.create<StatefulSet>(sets, 'default', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, serviceName: name, template: podTemplate({ app: name }), ...spec },
  });
}

async function sync(name: string): Promise<StatefulSet> {
  await env.refresh();
  await syncStatefulSet(deps, `default/${name}`);
  return env.client.get<StatefulSet>(sets, 'default', name);
}

const names = async (set: string): Promise<string[]> =>
  (await env.pods()).filter((p) => p.metadata.name?.startsWith(`${set}-`) && !p.metadata.deletionTimestamp).map((p) => p.metadata.name!);

async function runAll(set: string): Promise<void> {
  for (const p of await env.pods()) if (p.metadata.name?.startsWith(`${set}-`) && p.status?.phase !== 'Running') await env.setPodStatus(p, 'Running');
}

test('OrderedReady creates web-0, web-1, web-2 one at a time, each after the previous is Ready', async () => {
  await createSet('web', { replicas: 3, volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] });
  await sync('web');
  assert.deepEqual(await names('web'), ['web-0']);
  await sync('web');
  assert.deepEqual(await names('web'), ['web-0'], 'waits while web-0 is not Ready');
  const [p0] = await env.pods();
  assert.equal((p0!.spec as { hostname?: string }).hostname, 'web-0');
  assert.equal((p0!.spec as { subdomain?: string }).subdomain, 'web');
  assert.equal(p0!.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
  assert.equal(p0!.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
  assert.ok(p0!.metadata.labels?.['controller-revision-hash']);
  assert.match(JSON.stringify(p0!.spec), /"claimName":"www-web-0"/);
  await runAll('web');
  await sync('web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1']);
  await runAll('web');
  await sync('web');
  await runAll('web');
  const set = await sync('web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1', 'web-2']);
  assert.equal(set.status?.readyReplicas, 3);
  assert.equal(set.status?.currentRevision, set.status?.updateRevision);
  const claims = (await env.client.list<PersistentVolumeClaim>(pvcs, 'default')).items.map((c) => c.metadata.name).sort();
  assert.deepEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
});

test('scale down removes the highest ordinal first, one at a time, and keeps the claims', async () => {
  await env.client.patch(sets, 'default', 'web', 'merge', { spec: { replicas: 1 } });
  await sync('web');
  assert.deepEqual(await names('web'), ['web-0', 'web-1']);
  await sync('web');
  assert.deepEqual(await names('web'), ['web-0']);
  const set = await sync('web');
  assert.equal(set.status?.replicas, 1);
  assert.equal((await env.client.list(pvcs, 'default')).items.length, 3, 'claims are retained');
});

test('rolling update replaces pods from the highest ordinal down to the partition', async () => {
  await createSet('ru', { replicas: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, podManagementPolicy: 'Parallel' });
  await sync('ru');
  assert.deepEqual(await names('ru'), ['ru-0', 'ru-1', 'ru-2'], 'Parallel creates all at once');
  await runAll('ru');
  let set = await sync('ru');
  const oldRev = set.status?.currentRevision;
  await env.client.patch(sets, 'default', 'ru', 'merge', { spec: { template: { metadata: { labels: { app: 'ru', v: '2' } } } } });
  for (let i = 0; i < 6; i++) {
    set = await sync('ru');
    await runAll('ru');
  }
  set = await sync('ru');
  const hash = (await env.pods()).filter((p) => p.metadata.name?.startsWith('ru-')).map((p) => `${p.metadata.name}:${p.metadata.labels?.['v'] ?? '1'}`);
  assert.deepEqual(hash, ['ru-0:1', 'ru-1:2', 'ru-2:2']);
  assert.notEqual(set.status?.updateRevision, oldRev);
  assert.equal(set.status?.currentRevision, oldRev, 'current stays while ru-0 is held back by the partition');
  assert.equal(set.status?.updatedReplicas, 2);
  await env.client.patch(sets, 'default', 'ru', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
  for (let i = 0; i < 3; i++) {
    set = await sync('ru');
    await runAll('ru');
  }
  set = await sync('ru');
  assert.equal(set.status?.updatedReplicas, 3);
  assert.equal(set.status?.currentRevision, set.status?.updateRevision);
});

test('a failed pod is replaced under the same name; OnDelete leaves running pods alone', async () => {
  await createSet('od', { replicas: 1, updateStrategy: { type: 'OnDelete' } });
  await sync('od');
  await runAll('od');
  await sync('od');
  await env.client.patch(sets, 'default', 'od', 'merge', { spec: { template: { metadata: { labels: { app: 'od', v: '2' } } } } });
  await sync('od');
  let [p] = (await env.pods()).filter((x) => x.metadata.name === 'od-0');
  assert.equal(p!.metadata.labels?.['v'], undefined, 'OnDelete does not replace');
  await env.setPodStatus(p!, 'Failed');
  await sync('od');
  await sync('od');
  [p] = (await env.pods()).filter((x) => x.metadata.name === 'od-0');
  assert.equal(p!.metadata.labels?.['v'], '2', 'the replacement has the new template');
});

test('persistentVolumeClaimRetentionPolicy: whenScaled Delete removes the claims of removed ordinals; whenDeleted Delete makes the set their owner', async () => {
  await createSet('db', {
    replicas: 2,
    podManagementPolicy: 'Parallel',
    persistentVolumeClaimRetentionPolicy: { whenScaled: 'Delete', whenDeleted: 'Delete' },
    volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
  });
  await sync('db');
  const claimsOf = async () => (await env.client.list<PersistentVolumeClaim>(pvcs, 'default')).items.filter((c) => c.metadata.name?.startsWith('data-db-'));
  const claims = await claimsOf();
  assert.deepEqual(claims.map((c) => c.metadata.name).sort(), ['data-db-0', 'data-db-1']);
  assert.equal(claims[0]!.metadata.ownerReferences?.[0]?.kind, 'StatefulSet');
  assert.equal(claims[0]!.metadata.labels?.['app'], 'db');
  await runAll('db');
  await env.client.patch(sets, 'default', 'db', 'merge', { spec: { replicas: 1 } });
  await sync('db');
  assert.deepEqual(await names('db'), ['db-0']);
  await sync('db');
  // data-db-1 is deleted; its pvc-protection finalizer (no protection controller runs here) keeps it Terminating.
  const after = await claimsOf();
  assert.deepEqual(after.filter((c) => !c.metadata.deletionTimestamp).map((c) => c.metadata.name), ['data-db-0']);
  assert.deepEqual(after.filter((c) => c.metadata.deletionTimestamp).map((c) => [c.metadata.name, c.metadata.finalizers]), [['data-db-1', ['kubernetes.io/pvc-protection']]]);
});
