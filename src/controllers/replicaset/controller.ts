// The ReplicaSet (and ReplicationController) controller: informers on the
// sets and on pods; handlers only settle expectations and enqueue keys.

import { resourceForKind } from '../../api/scheme.ts';
import type { Lister } from '../../client/interfaces.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { controllerOf } from '../common/controller-ref.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import { keyOf } from '../common/keys.ts';
import { PodControl } from '../common/pod-control.ts';
import { isPodReady } from '../common/pod-state.ts';
import { startWorkers } from '../common/start-workers.ts';
import type { Pod, ReplicaSet } from '../common/types.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import type { ReplicaSetKind } from './kind.ts';
import { syncReplicaSet } from './sync.ts';

const podsResource = resourceForKind('', 'Pod')!;

export function startReplicaSetController(ctx: ControllerContext, kind: ReplicaSetKind, opts: { burstReplicas?: number } = {}): RunningController {
  const rsInformer = ctx.informers.informerFor<ReplicaSet>(kind.resource);
  const podInformer = ctx.informers.informerFor<Pod>(podsResource);
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: kind.component });
  const expectations = new ControllerExpectations(ctx.clock);
  const rsLister = rsInformer.lister;

  /** The set a pod's controller reference names, if it is one of ours and still exists with that uid. */
  const ownerOf = (pod: Pod): ReplicaSet | undefined => {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== kind.kind) return undefined;
    const rs = rsLister.get(pod.metadata.namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  };
  /** Orphans may be adopted by every set whose selector matches them. */
  const enqueueMatching = (pod: Pod): void => {
    for (const rs of matchingSets(rsLister, kind, pod)) queue.add(keyOf(rs));
  };

  rsInformer.addEventHandler({
    onAdd: (rs) => queue.add(keyOf(rs)),
    onUpdate: (_old, rs) => queue.add(keyOf(rs)),
    onDelete: (rs) => {
      expectations.delete(keyOf(rs));
      queue.add(keyOf(rs));
    },
  });

  podInformer.addEventHandler({
    onAdd: (pod) => {
      if (pod.metadata.deletionTimestamp) return void onPodGone(pod);
      const rs = ownerOf(pod);
      if (rs) {
        expectations.creationObserved(keyOf(rs));
        queue.add(keyOf(rs));
      } else if (!controllerOf(pod)) enqueueMatching(pod);
    },
    onUpdate: (old, pod) => {
      if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) onPodGone(pod);
      const oldRef = controllerOf(old);
      const ref = controllerOf(pod);
      if (oldRef && oldRef.uid !== ref?.uid) {
        const prev = ownerOf(old);
        if (prev) queue.add(keyOf(prev));
      }
      const rs = ownerOf(pod);
      if (rs) {
        queue.add(keyOf(rs));
        // A pod that just became ready turns available after minReadySeconds.
        const minReady = rs.spec?.minReadySeconds ?? 0;
        if (minReady > 0 && !isPodReady(old) && isPodReady(pod)) queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
        return;
      }
      if (!ref && (oldRef || JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels))) enqueueMatching(pod);
    },
    onDelete: (pod) => onPodGone(pod),
  });

  function onPodGone(pod: Pod): void {
    const rs = ownerOf(pod);
    if (!rs) return;
    expectations.deletionObserved(keyOf(rs), keyOf(pod));
    queue.add(keyOf(rs));
  }

  const recorder = ctx.recorder(kind.component);
  const deps = {
    kind,
    client: ctx.client,
    rsLister,
    podLister: podInformer.lister,
    expectations,
    podControl: new PodControl(ctx.client, recorder),
    clock: ctx.clock,
    warmStart: new Map<string, number>(),
    ...(opts.burstReplicas !== undefined ? { burstReplicas: opts.burstReplicas } : {}),
  };
  return startWorkers({
    name: kind.component,
    queue,
    workers: ctx.options.concurrentSyncs,
    informers: [rsInformer, podInformer],
    sync: (key) => syncReplicaSet(deps, key),
    log: ctx.log,
  });
}

function matchingSets(lister: Lister<ReplicaSet>, kind: ReplicaSetKind, pod: Pod): ReplicaSet[] {
  return lister.list(pod.metadata.namespace).filter((rs) => {
    try {
      return kind.selectorOf(rs).matches(pod.metadata.labels);
    } catch {
      return false;
    }
  });
}
