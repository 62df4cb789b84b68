// The local-path provisioner (after k3s's): for claims of a class with
// provisioner skiff.dev/local-path, once the scheduler picked a node
// (volume.kubernetes.io/selected-node), create a hostPath PV on that node.
// Deleted volumes keep a finalizer until the node's agent removed the data;
// for nodes without an agent that could (hollow nodes, deleted nodes) it is dropped here.

import { resourceForKind } from '../../../api/scheme.ts';
import type { KubeObject } from '../../../api/meta.ts';
import { RateLimitedQueue } from '../../../client/work-queue.ts';
import { isAlreadyExists, isNotFound } from '../../../machinery/status.ts';
import { keyOf, splitKey } from '../../common/keys.ts';
import { startWorkers } from '../../common/start-workers.ts';
import type { ControllerContext, RunningController } from '../../types.ts';
import {
  annLocalPathNode,
  annLocalStoragePath,
  annSelectedNode,
  claimClass,
  localPathCleanupFinalizer,
  localPathProvisionerName,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../../../api/persistent-volume.ts';
import { localVolumeFor, provisionedVolumeName } from './provision.ts';

const pvResource = resourceForKind('', 'PersistentVolume')!;

export function startLocalProvisioner(ctx: ControllerContext): RunningController {
  const volumes = ctx.informers.informerFor<PersistentVolume>(pvResource);
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(resourceForKind('', 'PersistentVolumeClaim')!);
  const classes = ctx.informers.informerFor<StorageClass>(resourceForKind('storage.k8s.io', 'StorageClass')!);
  const nodes = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Node')!);
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'local-path-provisioner' });
  const recorder = ctx.recorder('skiff.dev/local-path');

  claims.addEventHandler({ onAdd: (c) => queue.add(`pvc:${keyOf(c)}`), onUpdate: (_o, c) => queue.add(`pvc:${keyOf(c)}`) });
  const onVolume = (pv: PersistentVolume): void => {
    if (pv.metadata.finalizers?.includes(localPathCleanupFinalizer)) queue.add(`pv:${pv.metadata.name}`);
  };
  volumes.addEventHandler({ onAdd: onVolume, onUpdate: (_o, pv) => onVolume(pv) });
  nodes.addEventHandler({
    onDelete: (n) => {
      for (const pv of volumes.lister.list()) if (pv.metadata.annotations?.[annLocalPathNode] === n.metadata.name) onVolume(pv);
    },
  });

  async function syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pvc = claims.lister.get(namespace, name);
    if (!pvc || pvc.metadata.deletionTimestamp || pvc.spec?.volumeName) return;
    const nodeName = pvc.metadata.annotations?.[annSelectedNode];
    if (!nodeName) return;
    const sc = classes.lister.get(undefined, claimClass(pvc));
    if (sc?.provisioner !== localPathProvisionerName) return;
    const pvName = provisionedVolumeName(pvc);
    if (volumes.lister.get(undefined, pvName)) return;
    const pv = localVolumeFor(pvc, sc, nodeName, nodes.lister.get(undefined, nodeName));
    try {
      await ctx.client.create(pvResource, undefined, pv);
    } catch (e) {
      if (isAlreadyExists(e)) return;
      recorder.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${(e as Error).message}`);
      throw e;
    }
    ctx.log(`local-path: provisioned ${pvName} at ${pv.spec?.hostPath?.path} on ${nodeName}`);
    recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  }

  /** A deleted volume whose node has no agent to clean up: let it go. */
  async function syncVolume(name: string): Promise<void> {
    const pv = volumes.lister.get(undefined, name);
    if (!pv?.metadata.deletionTimestamp || !pv.metadata.finalizers?.includes(localPathCleanupFinalizer)) return;
    const node = nodes.lister.get(undefined, pv.metadata.annotations?.[annLocalPathNode] ?? '');
    if (node?.metadata.annotations?.[annLocalStoragePath]) return;
    const next = structuredClone(pv);
    next.metadata.finalizers = pv.metadata.finalizers.filter((f) => f !== localPathCleanupFinalizer);
    try {
      await ctx.client.update(pvResource, undefined, next);
      ctx.log(`local-path: ${name}: no agent on node ${pv.metadata.annotations?.[annLocalPathNode]} to remove its data; finalizer dropped`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  return startWorkers({
    name: 'local-path-provisioner',
    queue,
    workers: 2,
    informers: [volumes, claims, classes, nodes],
    sync: async (key) => {
      if (key.startsWith('pvc:')) await syncClaim(key.slice(4));
      else if (key.startsWith('pv:')) await syncVolume(key.slice(3));
    },
    log: ctx.log,
  });
}
