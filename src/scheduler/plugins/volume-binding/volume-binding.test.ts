// VolumeBinding with the real scheduler, PV binder and local-path provisioner on an in-process API server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../../api/scheme.ts';
import type { KubeObject } from '../../../api/meta.ts';
import { defaultControllerManagerOptions } from '../../../controllers/types.ts';
import { startLocalProvisioner } from '../../../controllers/volume/local-provisioner/controller.ts';
import { startPersistentVolumeController } from '../../../controllers/volume/persistentvolume/controller.ts';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../api/persistent-volume.ts';
import { makeNode, makePod, startSchedulerEnv, type SchedulerEnv } from '../../testing/cluster.ts';
import type { Pod } from '../../types.ts';

const pvcs = resourceForKind('', 'PersistentVolumeClaim')!;
const pvs = resourceForKind('', 'PersistentVolume')!;
const classes = resourceForKind('storage.k8s.io', 'StorageClass')!;
let env: SchedulerEnv;
const stops: (() => Promise<void> | void)[] = [];

before(async () => {
  env = await startSchedulerEnv();
  const ctx = { ...env.ctx, options: defaultControllerManagerOptions };
  stops.push(startPersistentVolumeController(ctx).stop, startLocalProvisioner(ctx).stop);
  env.ctx.informers.start();
  for (const n of ['n1', 'n2', 'n3']) await env.createNode(makeNode(n));
});
after(async () => {
  for (const s of stops) await s();
  await env.stop();
});

const claim = (name: string, extra: Record<string, unknown> = {}) =>
  env.cluster.client.create<PersistentVolumeClaim>(pvcs, 'default', {
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
  });
const podWith = (name: string, claimName: string) => makePod(name, { spec: { volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] } as never });
const nodeOf = (name: string) => env.waitFor(async () => (await env.getPod(name)).spec?.nodeName);
const unschedulableMessage = (name: string) =>
  env.waitFor(async () => (await env.getPod(name)).status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message);

test('WaitForFirstConsumer: the scheduler picks a node, the provisioner makes a PV there, then the pod binds; later pods follow the volume', async () => {
  const c = await claim('data');
  await env.createPod(podWith('first', 'data'));
  const node = await nodeOf('first');
  const pvc = await env.cluster.client.get<PersistentVolumeClaim>(pvcs, 'default', 'data');
  assert.equal(pvc.metadata.annotations?.['volume.kubernetes.io/selected-node'], node);
  assert.equal(pvc.status?.phase, 'Bound', 'the pod is bound only after its claim');
  const pv = await env.cluster.client.get<PersistentVolume>(pvs, undefined, `pvc-${c.metadata.uid}`);
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, [node]);
  for (const p of ['again-1', 'again-2', 'again-3']) await env.createPod(podWith(p, 'data'));
  for (const p of ['again-1', 'again-2', 'again-3']) assert.equal(await nodeOf(p), node);
});

test('a bound volume on a node the pod cannot use: volume node affinity conflict', async () => {
  await claim('pinned');
  await env.createPod(podWith('pin', 'pinned'));
  const node = await nodeOf('pin');
  const other = ['n1', 'n2', 'n3'].find((n) => n !== node)!;
  const pod = makePod('elsewhere', { spec: { nodeSelector: { 'kubernetes.io/hostname': other }, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'pinned' } }] } as never });
  await env.createPod(pod);
  const msg = await unschedulableMessage('elsewhere');
  assert.match(msg, /node\(s\) had volume node affinity conflict/);
});

test('a missing claim, then an Immediate claim without a volume, are reported; each schedules once fixed', async () => {
  await env.createPod(podWith('orphan', 'later'));
  assert.match(await unschedulableMessage('orphan'), /persistentvolumeclaim "later" not found/);
  await env.cluster.client.create(classes, undefined, { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' } as KubeObject);
  await claim('later', { storageClassName: 'manual' });
  await env.waitFor(async () => ((await unschedulableMessage('orphan')).includes('pod has unbound immediate PersistentVolumeClaims') ? true : undefined));
  await env.cluster.client.create(pvs, undefined, {
    metadata: { name: 'static-n2' },
    spec: {
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'manual',
      hostPath: { path: '/tmp/static' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } },
    },
  } as KubeObject);
  assert.equal(await nodeOf('orphan'), 'n2');
  const p = await env.getPod('orphan');
  assert.equal((p as Pod).spec?.nodeName, 'n2');
});

test('WaitForFirstConsumer with static volumes: only nodes with a fitting free volume pass, and the claim binds to the one there', async () => {
  await env.cluster.client.create(classes, undefined, { metadata: { name: 'local-static' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' } as KubeObject);
  for (const [name, node, size] of [['small-n1', 'n1', '100Mi'], ['big-n3', 'n3', '10Gi']] as const) {
    await env.cluster.client.create(pvs, undefined, {
      metadata: { name },
      spec: {
        capacity: { storage: size },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local-static',
        local: { path: `/mnt/${name}` },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      },
    } as KubeObject);
  }
  await claim('static', { storageClassName: 'local-static' });
  await env.createPod(podWith('static-user', 'static'));
  assert.equal(await nodeOf('static-user'), 'n3');
  const pvc = await env.cluster.client.get<PersistentVolumeClaim>(pvcs, 'default', 'static');
  assert.equal(pvc.spec?.volumeName, 'big-n3');
  await claim('nowhere', { storageClassName: 'local-static', resources: { requests: { storage: '100Gi' } } });
  await env.createPod(podWith('no-room', 'nowhere'));
  assert.match(await unschedulableMessage('no-room'), /3 node\(s\) didn't find available persistent volumes to bind/);
});
