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
import { RateLimitedQueue } from '../../../client/work-queue.ts';
import { keyFor, splitKey } from '../../../client/keys.ts';
import { isNotFound } from '../../../machinery/status.ts';
import { startWorkers } from '../../common/start-workers.ts';
import type { ControllerContext, RunningController } from '../../types.ts';

const claimResource = resourceForKind('', 'PersistentVolumeClaim')!;
const volumeResource = resourceForKind('', 'PersistentVolume')!;
const podResource = resourceForKind('', 'Pod')!;

type PodVolume = { name: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown };
type Pod = KubeObject & { spec?: { nodeName?: string; volumes?: PodVolume[] }; status?: { phase?: string } };
type Volume = KubeObject & { status?: { phase?: string } };

/** The claims a pod's volumes name: persistentVolumeClaim ones, and generic ephemeral ones (`<pod>-<volume>`). */
function claimRefs(pod: Pod): { name: string; ephemeral: boolean }[] {
  return (pod.spec?.volumes ?? []).flatMap((v): { name: string; ephemeral: boolean }[] => {
    if (v.persistentVolumeClaim?.claimName) return [{ name: v.persistentVolumeClaim.claimName, ephemeral: false }];
    return v.ephemeral ? [{ name: `${pod.metadata.name}-${v.name}`, ephemeral: true }] : [];
  });
}

/**
 * Whether the pod keeps the claim in use: it is scheduled and names it. An ephemeral claim counts
 * only while the pod has not finished, and only for the pod that owns it.
 */
export function podUsesClaim(pod: Pod, claim: KubeObject): boolean {
  if (!pod.spec?.nodeName) return false;
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const owned = () => (claim.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === pod.metadata.uid);
  return claimRefs(pod).some((r) => r.name === claim.metadata.name && (!r.ephemeral || (!finished && owned())));
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
    for (const { name } of claimRefs(pod)) {
      const c = claims.lister.get(pod.metadata.namespace, name);
      if (c) enqueue(c);
    }
  };
  pods.addEventHandler({ onUpdate: (_o, p) => podChanged(p), onDelete: podChanged });

  const sync = async (key: string): Promise<void> => {
    const { namespace, name } = splitKey(key);
    const claim = claims.lister.get(namespace, name);
    if (!claim?.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(pvcProtectionFinalizer)) return;
    if (pods.lister.list(namespace).some((pod) => podUsesClaim(pod, claim))) return;
    await removeFinalizer(ctx, claimResource, claim, pvcProtectionFinalizer);
  };
  return startWorkers({ name: 'pvc-protection', queue, workers: ctx.options.concurrentSyncs, informers: [claims, pods], sync, log: ctx.log });
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
  return startWorkers({ name: 'pv-protection', queue, workers: ctx.options.concurrentSyncs, informers: [volumes], sync, log: ctx.log });
}

/** An update from the cached object (startWorkers retries a conflict soon: the cache was behind). */
async function removeFinalizer(ctx: ControllerContext, resource: typeof claimResource, obj: KubeObject, finalizer: string): Promise<void> {
  const next = { ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer) } };
  try {
    await ctx.client.update(resource, obj.metadata.namespace, next);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
