// The Deployment controller: informers on Deployments, their ReplicaSets and
// (for Recreate) pods; handlers only enqueue the owning Deployment's key.

import { resourceForKind } from '../../api/scheme.ts';
import type { Lister } from '../../client/interfaces.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { controllerOf } from '../common/controller-ref.ts';
import { keyOf } from '../common/keys.ts';
import { startWorkers } from '../common/start-workers.ts';
import type { Deployment, Pod, ReplicaSet } from '../common/types.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { deploymentsResource, replicaSetsResource, type DeploymentSyncDeps } from './context.ts';
import { syncDeployment } from './sync.ts';

const podsResource = resourceForKind('', 'Pod')!;

export function startDeploymentController(ctx: ControllerContext): RunningController {
  const dInformer = ctx.informers.informerFor<Deployment>(deploymentsResource);
  const rsInformer = ctx.informers.informerFor<ReplicaSet>(replicaSetsResource);
  const podInformer = ctx.informers.informerFor<Pod>(podsResource);
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'deployment-controller' });
  const dLister = dInformer.lister;

  const ownerOf = (rs: ReplicaSet): Deployment | undefined => {
    const ref = controllerOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = dLister.get(rs.metadata.namespace, ref.name);
    return d?.metadata.uid === ref.uid ? d : undefined;
  };
  const enqueueOwner = (rs: ReplicaSet): void => {
    const d = ownerOf(rs);
    if (d) queue.add(keyOf(d));
  };

  dInformer.addEventHandler({
    onAdd: (d) => queue.add(keyOf(d)),
    onUpdate: (_o, d) => queue.add(keyOf(d)),
    onDelete: (d) => queue.add(keyOf(d)),
  });
  rsInformer.addEventHandler({
    onAdd: (rs) => {
      if (controllerOf(rs)) enqueueOwner(rs);
      else for (const d of matchingDeployments(dLister, rs)) queue.add(keyOf(d));
    },
    onUpdate: (old, rs) => {
      if (old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
      const oldRef = controllerOf(old);
      if (oldRef && oldRef.uid !== controllerOf(rs)?.uid) enqueueOwner(old);
      if (controllerOf(rs)) return enqueueOwner(rs);
      if (oldRef || JSON.stringify(old.metadata.labels) !== JSON.stringify(rs.metadata.labels)) {
        for (const d of matchingDeployments(dLister, rs)) queue.add(keyOf(d));
      }
    },
    onDelete: (rs) => enqueueOwner(rs),
  });
  // Recreate waits for the old pods to be gone.
  podInformer.addEventHandler({
    onDelete: (pod) => {
      const ref = controllerOf(pod);
      if (!ref || ref.kind !== 'ReplicaSet') return;
      const rs = rsInformer.lister.get(pod.metadata.namespace, ref.name);
      const d = rs && ownerOf(rs);
      if (d?.spec?.strategy?.type === 'Recreate') queue.add(keyOf(d));
    },
  });

  const deps: DeploymentSyncDeps = {
    client: ctx.client,
    deploymentLister: dLister,
    rsLister: rsInformer.lister,
    podLister: podInformer.lister,
    recorder: ctx.recorder('deployment-controller'),
    clock: ctx.clock,
  };
  return startWorkers({
    name: 'deployment-controller',
    queue,
    workers: ctx.options.concurrentSyncs,
    informers: [dInformer, rsInformer, podInformer],
    sync: (key) => syncDeployment(deps, key),
    log: ctx.log,
  });
}

function matchingDeployments(lister: Lister<Deployment>, rs: ReplicaSet): Deployment[] {
  return lister.list(rs.metadata.namespace).filter((d) => {
    try {
      const sel = selectorFromLabelSelector(d.spec?.selector);
      return !sel.empty && sel.matches(rs.metadata.labels);
    } catch {
      return false;
    }
  });
}
