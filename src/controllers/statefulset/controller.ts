// The StatefulSet controller: sets, their pods, revisions and claims feed one queue of set keys.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Informer } from '../../client/interfaces.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { controllerOf } from '../common/controller-ref.ts';
import { keyOf } from '../common/keys.ts';
import type { Pod } from '../common/types.ts';
import type { ControllerRevision } from '../history/revisions.ts';
import type { ControllerContext } from '../types.ts';
import { ownerKey, startLoop, type Loop } from './run-loop.ts';
import { syncStatefulSet, type StatefulSetSyncDeps } from './sync.ts';
import type { PersistentVolumeClaim, StatefulSet } from './types.ts';

export function startStatefulSetController(ctx: ControllerContext): Loop {
  const sets = ctx.informers.informerFor<StatefulSet>(resourceForKind('apps', 'StatefulSet')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const revisions = ctx.informers.informerFor<ControllerRevision>(resourceForKind('apps', 'ControllerRevision')!);
  const claims = ctx.informers.informerFor<PersistentVolumeClaim>(resourceForKind('', 'PersistentVolumeClaim')!);
  const deps: StatefulSetSyncDeps = {
    client: ctx.client,
    clock: ctx.clock,
    sets: sets.lister,
    pods: pods.lister,
    revisions: revisions.lister,
    claims: claims.lister,
    recorder: ctx.recorder('statefulset-controller'),
    requeueAfter: (key, ms) => loop.queue.addAfter(key, ms),
  };
  const loop = startLoop(ctx, 'statefulset', [sets, pods, revisions, claims] as Informer<KubeObject>[], (key) => syncStatefulSet(deps, key));
  const enqueue = (s: StatefulSet) => loop.queue.add(keyOf(s));
  sets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  const onPod = (p: Pod) => {
    const k = ownerKey(p, 'StatefulSet');
    if (k) return loop.queue.add(k);
    if (controllerOf(p)) return;
    // An orphan: the sets that select it may adopt it.
    for (const s of sets.lister.list(p.metadata.namespace)) {
      if (selectorFromLabelSelector(s.spec?.selector).matches(p.metadata.labels)) enqueue(s);
    }
  };
  pods.addEventHandler({
    onAdd: onPod,
    onUpdate(o, n) {
      const old = ownerKey(o, 'StatefulSet');
      if (old && old !== ownerKey(n, 'StatefulSet')) loop.queue.add(old);
      onPod(n);
    },
    onDelete: onPod,
  });
  return loop;
}
