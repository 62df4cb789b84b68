// The PersistentVolume binder (kube-controller-manager's persistentvolume-binder):
// informers on volumes, claims, classes and nodes; one queue whose keys say
// which kind they name (`pv:<name>`, `pvc:<ns>/<name>`).

import { resourceForKind } from '../../../api/scheme.ts';
import type { KubeObject } from '../../../api/meta.ts';
import { RateLimitedQueue } from '../../../client/work-queue.ts';
import { keyOf } from '../../common/keys.ts';
import { startWorkers } from '../../common/start-workers.ts';
import type { ControllerContext, RunningController } from '../../types.ts';
import { claimClass, volumeClass, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '../../../api/persistent-volume.ts';
import type { VolumeSyncDeps } from './deps.ts';
import { syncClaim } from './sync-claim.ts';
import { syncVolume } from './sync-volume.ts';

/** Every key is looked at again this often, as Kubernetes' 15 s resync of the binder. */
const resyncMs = 15_000;

export function startPersistentVolumeController(ctx: ControllerContext): RunningController {
  const volumes = ctx.informers.informerFor<PersistentVolume>(resourceForKind('', 'PersistentVolume')!);
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(resourceForKind('', 'PersistentVolumeClaim')!);
  const classes = ctx.informers.informerFor<StorageClass>(resourceForKind('storage.k8s.io', 'StorageClass')!);
  const nodes = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Node')!);
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'persistentvolume-binder' });
  const addVolume = (pv: PersistentVolume): void => {
    queue.add(`pv:${pv.metadata.name}`);
    const ref = pv.spec?.claimRef;
    if (ref?.name) queue.add(`pvc:${ref.namespace ?? ''}/${ref.name}`);
    // A free volume may be what a waiting claim of its class needs.
    else for (const pvc of claims.lister.list()) if (!pvc.spec?.volumeName && claimClass(pvc) === volumeClass(pv)) queue.add(`pvc:${keyOf(pvc)}`);
  };
  const addClaim = (pvc: PersistentVolumeClaim): void => {
    queue.add(`pvc:${keyOf(pvc)}`);
    if (pvc.spec?.volumeName) queue.add(`pv:${pvc.spec.volumeName}`);
  };
  volumes.addEventHandler({ onAdd: addVolume, onUpdate: (_o, pv) => addVolume(pv), onDelete: addVolume });
  claims.addEventHandler({
    onAdd: addClaim,
    onUpdate: (_o, pvc) => addClaim(pvc),
    // A deleted claim releases its volume; claims waiting on nothing else get another look.
    onDelete: (pvc) => {
      if (pvc.spec?.volumeName) queue.add(`pv:${pvc.spec.volumeName}`);
    },
  });
  // A new class or node can unblock claims that wait for one.
  const pendingClaims = (): void => {
    for (const pvc of claims.lister.list()) if (!pvc.spec?.volumeName) queue.add(`pvc:${keyOf(pvc)}`);
  };
  classes.addEventHandler({ onAdd: pendingClaims, onUpdate: pendingClaims });

  const deps: VolumeSyncDeps = {
    client: ctx.client,
    volumes: volumes.lister,
    claims: claims.lister,
    classes: classes.lister,
    nodes: nodes.lister,
    recorder: ctx.recorder('persistentvolume-controller'),
    log: ctx.log,
    announced: new Set(),
    enqueueClaim: (key) => queue.add(`pvc:${key}`),
  };
  const resync = ctx.clock.setInterval(() => {
    for (const pv of volumes.lister.list()) queue.add(`pv:${pv.metadata.name}`);
    pendingClaims();
  }, resyncMs);
  const workers = startWorkers({
    name: 'persistentvolume-binder',
    queue,
    workers: Math.min(ctx.options.concurrentSyncs, 5),
    informers: [volumes, claims, classes, nodes],
    sync: async (key) => {
      if (key.startsWith('pv:')) await syncVolume(deps, key.slice(3));
      else if (key.startsWith('pvc:')) await syncClaim(deps, key.slice(4));
    },
    log: ctx.log,
  });
  return {
    async stop() {
      resync.cancel();
      await workers.stop();
    },
  };
}
