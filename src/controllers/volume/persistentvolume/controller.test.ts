import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../../api/scheme.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../../garbagecollector/test-context.ts';
import { startLocalProvisioner } from '../local-provisioner/controller.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/persistent-volume.ts';
import { startPersistentVolumeController } from './controller.ts';
import { startPvcProtectionController, startPvProtectionController } from '../protection/controller.ts';

const pvs = resourceForKind('', 'PersistentVolume')!;
const pvcs = resourceForKind('', 'PersistentVolumeClaim')!;
const nodes = resourceForKind('', 'Node')!;
const classes = resourceForKind('storage.k8s.io', 'StorageClass')!;
let env: TestControllerEnv;
const stops: (() => Promise<void> | void)[] = [];

before(async () => {
  env = await startTestEnv();
  stops.push(startPersistentVolumeController(env.ctx).stop, startLocalProvisioner(env.ctx).stop, startPvcProtectionController(env.ctx).stop, startPvProtectionController(env.ctx).stop);
  env.ctx.informers.start();
});
after(async () => {
  for (const s of stops) await s();
  await env.stop();
});

const c = () => env.cluster.client;
const pv = (name: string, size: string, extra: Record<string, unknown> = {}, labels?: Record<string, string>) =>
  c().create<PersistentVolume>(pvs, undefined, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, ...(labels ? { labels } : {}) },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/tmp/${name}` }, storageClassName: 'manual', ...extra },
  });
const pvc = (name: string, size: string, extra: Record<string, unknown> = {}, annotations?: Record<string, string>) =>
  c().create<PersistentVolumeClaim>(pvcs, 'default', {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, storageClassName: 'manual', ...extra },
  });
const getPV = (name: string) => c().get<PersistentVolume>(pvs, undefined, name);
const getPVC = (name: string) => c().get<PersistentVolumeClaim>(pvcs, 'default', name);
/** Whether reading the object fails (it is gone). */
const missing = async (get: () => Promise<unknown>) => {
  try {
    await get();
    return false;
  } catch {
    return true;
  }
};
const gone = (name: string) => missing(() => getPV(name));

test('the default class: local-path exists and a claim without a class gets it', async () => {
  const sc = await c().get(classes, undefined, 'local-path');
  assert.equal(sc['provisioner'], 'skiff.dev/local-path');
  assert.equal(sc['volumeBindingMode'], 'WaitForFirstConsumer');
  const claim = await c().create<PersistentVolumeClaim>(pvcs, 'default', {
    metadata: { name: 'defaulted' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  assert.equal(claim.spec?.storageClassName, 'local-path');
  const none = await c().create<PersistentVolumeClaim>(pvcs, 'default', {
    metadata: { name: 'classless' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
  });
  assert.equal(none.spec?.storageClassName, '', 'an explicit "" stays class-less');
  await eventually(async () => (await getPVC('defaulted')).status?.phase === 'Pending', 5000, 'claim pending while waiting for its consumer');
});

test('binds the smallest fitting volume both ways; Retain keeps it Released after the claim goes', async () => {
  await pv('big', '10Gi');
  await pv('small', '2Gi');
  await pv('tiny', '500Mi');
  await pv('fast', '2Gi', {}, { speed: 'fast' });
  await pvc('data', '1Gi', { selector: { matchLabels: { speed: 'fast' } } });
  const claim = await eventually(async () => {
    const x = await getPVC('data');
    return x.status?.phase === 'Bound' ? x : undefined;
  }, 5000, 'claim bound');
  assert.equal(claim.spec?.volumeName, 'fast');
  assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
  assert.equal(claim.metadata.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  assert.deepEqual(claim.status?.capacity, { storage: '2Gi' });
  const vol = await eventually(async () => {
    const x = await getPV('fast');
    return x.status?.phase === 'Bound' ? x : undefined;
  }, 5000, 'volume bound');
  assert.equal(vol.spec?.claimRef?.uid, claim.metadata.uid);

  await pvc('plain', '1Gi');
  const plain = await eventually(async () => {
    const x = await getPVC('plain');
    return x.status?.phase === 'Bound' ? x : undefined;
  }, 5000, 'plain claim bound');
  assert.equal(plain.spec?.volumeName, 'small', 'the smallest volume that fits');
  assert.equal((await getPV('big')).status?.phase, 'Available');

  await c().delete(pvcs, 'default', 'plain');
  await eventually(async () => (await getPV('small')).status?.phase === 'Released', 5000, 'volume released');
});

test('a claim asking for too much waits; Delete policy removes the released volume', async () => {
  await pvc('huge', '100Gi');
  await eventually(async () => (await getPVC('huge')).status?.phase === 'Pending', 5000, 'huge pending');
  await pv('deleteme', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', claimRef: { namespace: 'default', name: 'prebound' } });
  await pvc('prebound', '1Gi');
  await eventually(async () => (await getPVC('prebound')).spec?.volumeName === 'deleteme', 5000, 'pre-bound volume bound');
  await c().delete(pvcs, 'default', 'prebound');
  await eventually(() => gone('deleteme'), 5000, 'released Delete volume removed');
});

test('local-path: a claim with a selected node gets a hostPath PV on that node, bound; deleting the claim removes it', async () => {
  await c().create(nodes, undefined, { metadata: { name: 'hollow-1', labels: { 'kubernetes.io/hostname': 'hollow-1' } } });
  await c().create(nodes, undefined, { metadata: { name: 'real-1', annotations: { 'skiff.dev/local-storage-path': '/srv/skiff/storage/' } } });
  const claim = await c().create<PersistentVolumeClaim>(pvcs, 'default', {
    metadata: { name: 'www', annotations: { 'volume.kubernetes.io/selected-node': 'real-1' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
  });
  const name = `pvc-${claim.metadata.uid}`;
  const bound = await eventually(async () => {
    const x = await getPVC('www');
    return x.status?.phase === 'Bound' ? x : undefined;
  }, 5000, 'provisioned claim bound');
  assert.equal(bound.spec?.volumeName, name);
  assert.equal(bound.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'skiff.dev/local-path');
  const vol = await getPV(name);
  assert.equal(vol.spec?.hostPath?.path, `/srv/skiff/storage/${name}_default_www`);
  assert.equal(vol.spec?.hostPath?.type, 'DirectoryOrCreate');
  assert.deepEqual(vol.spec?.capacity, { storage: '64Mi' });
  assert.equal(vol.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual(vol.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['real-1']);
  assert.equal(vol.metadata.annotations?.['skiff.dev/provisioned-by'], 'local-path');
  assert.equal(vol.metadata.annotations?.['pv.kubernetes.io/provisioned-by'], 'skiff.dev/local-path');

  // real-1 has an agent: the PV waits (Terminating) for it to remove the data.
  await c().delete(pvcs, 'default', 'www');
  await eventually(async () => Boolean((await getPV(name)).metadata.deletionTimestamp), 5000, 'volume terminating');
  assert.ok(!(await gone(name)));

  // hollow-1 has none: the finalizer is dropped and the PV goes.
  const claim2 = await c().create<PersistentVolumeClaim>(pvcs, 'default', {
    metadata: { name: 'sim', annotations: { 'volume.kubernetes.io/selected-node': 'hollow-1' } },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  const name2 = `pvc-${claim2.metadata.uid}`;
  await eventually(async () => (await getPVC('sim')).status?.phase === 'Bound', 5000, 'hollow claim bound');
  assert.equal((await getPV(name2)).spec?.hostPath?.path, `/var/lib/skiff/agent/storage/${name2}_default_sim`);
  await c().delete(pvcs, 'default', 'sim');
  await eventually(() => gone(name2), 5000, 'hollow volume removed');
});

const pods = resourceForKind('', 'Pod')!;
const claimGone = (name: string) => missing(() => getPVC(name));

test('in-use protection: a claim a scheduled pod names stays Terminating until the pod goes; a bound volume until its claim goes', async () => {
  const vol = await pv('kept', '1Gi', { claimRef: { namespace: 'default', name: 'inuse' } });
  assert.deepEqual(vol.metadata.finalizers, ['kubernetes.io/pv-protection']);
  const claim = await pvc('inuse', '1Gi');
  assert.deepEqual(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);
  await eventually(async () => (await getPV('kept')).status?.phase === 'Bound', 5000, 'volume bound');
  await c().create(pods, 'default', {
    metadata: { name: 'user' },
    spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'inuse' } }] },
  });
  await c().create(pods, 'default', {
    metadata: { name: 'unscheduled' },
    spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'inuse' } }] },
  });

  // The volume is bound: deleting it waits.
  await c().delete(pvs, undefined, 'kept');
  // The claim is mounted by a scheduled pod: deleting it waits too (an unscheduled pod does not hold it).
  await c().delete(pvcs, 'default', 'inuse');
  await new Promise((r) => setTimeout(r, 300));
  assert.ok((await getPVC('inuse')).metadata.deletionTimestamp, 'claim Terminating');
  assert.equal((await getPVC('inuse')).status?.phase, 'Bound');
  assert.ok((await getPV('kept')).metadata.deletionTimestamp, 'volume Terminating');

  await c().delete(pods, 'default', 'user', { gracePeriodSeconds: 0 });
  await eventually(() => claimGone('inuse'), 5000, 'claim removed once its pod is gone');
  // Released (Retain), no longer bound: the volume's deletion completes.
  await eventually(() => gone('kept'), 5000, 'volume removed once unbound');
  await c().delete(pods, 'default', 'unscheduled', { gracePeriodSeconds: 0 });
});
