// Storage object in-use protection: the two controllers that remove the
// finalizers the API server puts on every claim and volume
// (apiserver/registry/persistent-volume-claims.ts).
//
// - persistentvolumeclaim-protection: a claim being deleted keeps
//   kubernetes.io/pvc-protection while a pod uses it: a scheduled pod that
//   names it in a persistentVolumeClaim volume (even one that has finished,
//   as Kubernetes does), or a running pod whose generic ephemeral volume it is.
//   Deleting a claim a pod still mounts leaves it Terminating until the pod goes.
// - persistentvolume-protection: a volume being deleted keeps
//   kubernetes.io/pv-protection while it is Bound to a claim.

import type { KubeObject } from '../../../api/meta.ts';
import { resourceForKind } from '../../../api/scheme.ts';
import { pvcProtectionFinalizer, pvProtectionFinalizer } from '../../../apiserver/registry/persistent-volume-claims.ts';
import { runWorkers } from '../../../client/run-workers.ts';
import { RateLimitedQueue } from '../../../client/work-queue.ts';
import type { Lister } from '../../../client/interfaces.ts';
import { keyFor, splitKey } from '../../../client/keys.ts';
import { isConflict, isNotFound } from '../../../machinery/status.ts';
import type { ControllerContext, RunningController } from '../../types.ts';

const claimResource = resourceForKind('', 'PersistentVolumeClaim')!;
const volumeResource = resourceForKind('', 'PersistentVolume')!;
const podResource = resourceForKind('', 'Pod')!;

type PodVolume = { name: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown };
type Pod = KubeObject & { spec?: { nodeName?: string; volumes?: PodVolume[] }; status?: { phase?: string } };
type Volume = KubeObject & { status?: { phase?: string } };

/** The claims a pod keeps in use. */
export function claimsInUse(pod: Pod): string[] {
  if (!pod.spec?.nodeName) return [];
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const out: string[] = [];
  for (const v of pod.spec.volumes ?? []) {
    if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
    else if (v.ephemeral && !finished) out.push(`${pod.metadata.name}-${v.name}`);
  }
  return out;
}

/** Whether a pod of the claim's namespace keeps it; an ephemeral claim counts only for the pod that owns it. */
function inUse(claim: KubeObject, pods: Lister<Pod>): boolean {
  return pods.list(claim.metadata.namespace).some((pod) => {
    if (!claimsInUse(pod).includes(claim.metadata.name ?? '')) return false;
    const ephemeral = pod.spec?.volumes?.some((v) => v.ephemeral && `${pod.metadata.name}-${v.name}` === claim.metadata.name);
    return !ephemeral || (claim.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata.uid);
  });
}

export function startPvcProtectionController(ctx: ControllerContext): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'pvc-protection' });
  const claims = ctx.informers.informerFor<KubeObject>(claimResource);
  const pods = ctx.informers.informerFor<Pod>(podResource);
  const enqueue = (c: KubeObject) => {
    if (c.metadata.deletionTimestamp && c.metadata.finalizers?.includes(pvcProtectionFinalizer)) queue.add(keyFor(c.metadata.namespace, c.metadata.name ?? ''));
  };
  claims.addEventHandler({ onAdd: enqueue, onUpdate: (_o, c) => enqueue(c) });
  // A pod that goes (or finishes) may free the claims it named.
  const podChanged = (pod: Pod) => {
    for (const name of claimsInUse({ ...pod, status: {} })) {
      const c = claims.lister.get(pod.metadata.namespace, name);
      if (c) enqueue(c);
    }
  };
  pods.addEventHandler({ onUpdate: (_o, p) => podChanged(p), onDelete: podChanged });

  const sync = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const claim = claims.lister.get(namespace, name);
    if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(pvcProtectionFinalizer)) return;
    if (inUse(claim, pods.lister)) return;
    await removeFinalizer(ctx, claimResource, claim, pvcProtectionFinalizer);
  };
  return run(ctx, queue, 'pvc-protection', sync, [claims.waitForSync(), pods.waitForSync()]);
}

export function startPvProtectionController(ctx: ControllerContext): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'pv-protection' });
  const volumes = ctx.informers.informerFor<Volume>(volumeResource);
  const enqueue = (v: Volume) => {
    if (v.metadata.deletionTimestamp && v.metadata.finalizers?.includes(pvProtectionFinalizer)) queue.add(v.metadata.name ?? '');
  };
  volumes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, v) => enqueue(v) });
  const sync = async (name: string): Promise<void> => {
    const volume = volumes.lister.get(undefined, name);
    if (!volume?.metadata.deletionTimestamp || !volume.metadata.finalizers?.includes(pvProtectionFinalizer)) return;
    if (volume.status?.phase === 'Bound') return;
    await removeFinalizer(ctx, volumeResource, volume, pvProtectionFinalizer);
  };
  return run(ctx, queue, 'pv-protection', sync, [volumes.waitForSync()]);
}

/** An update from the cached object: a conflict means a newer one is on its way through the informer. */
async function removeFinalizer(ctx: ControllerContext, resource: typeof claimResource, obj: KubeObject, finalizer: string): Promise<void> {
  const next = { ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
  try {
    await ctx.client.update(resource, obj.metadata.namespace, next);
  } catch (e) {
    if (isNotFound(e) || isConflict(e)) return;
    throw e;
  }
}

function run(ctx: ControllerContext, queue: RateLimitedQueue<string>, name: string, sync: (key: string) => Promise<void>, synced: Promise<unknown>[]): RunningController {
  const done = (async () => {
    await Promise.all(synced);
    await runWorkers(queue, ctx.options.concurrentSyncs, sync, { name, log: ctx.log });
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}
