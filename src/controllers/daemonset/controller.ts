// The DaemonSet controller: daemon sets, their pods and the nodes feed one queue of DaemonSet keys.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Informer } from '../../client/interfaces.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import { keyOf } from '../common/keys.ts';
import type { Pod } from '../common/types.ts';
import type { ControllerRevision } from '../history/revisions.ts';
import { ownerKey, podKey, startLoop, type Loop } from '../statefulset/run-loop.ts';
import type { ControllerContext } from '../types.ts';
import { deletionsKey, syncDaemonSet, type DaemonSetSyncDeps } from './sync.ts';
import type { DaemonSet, Node } from './types.ts';

export function startDaemonSetController(ctx: ControllerContext): Loop {
  const daemonsets = ctx.informers.informerFor<DaemonSet>(resourceForKind('apps', 'DaemonSet')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const nodes = ctx.informers.informerFor<Node>(resourceForKind('', 'Node')!);
  const revisions = ctx.informers.informerFor<ControllerRevision>(resourceForKind('apps', 'ControllerRevision')!);
  const expectations = new ControllerExpectations(ctx.clock);
  const deps: DaemonSetSyncDeps = {
    client: ctx.client,
    clock: ctx.clock,
    daemonsets: daemonsets.lister,
    pods: pods.lister,
    nodes: nodes.lister,
    revisions: revisions.lister,
    expectations,
    recorder: ctx.recorder('daemonset-controller'),
    requeueAfter: (key, ms) => loop.queue.addAfter(key, ms),
  };
  const loop = startLoop(ctx, 'daemonset', [daemonsets, pods, nodes, revisions] as Informer<KubeObject>[], (key) => syncDaemonSet(deps, key));
  const enqueue = (ds: DaemonSet) => loop.queue.add(keyOf(ds));
  const enqueueAll = () => daemonsets.lister.list().forEach(enqueue);
  daemonsets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  pods.addEventHandler({
    onAdd(p) {
      const k = ownerKey(p, 'DaemonSet');
      if (!k) return;
      expectations.creationObserved(k);
      loop.queue.add(k);
    },
    onUpdate(o, n) {
      const k = ownerKey(n, 'DaemonSet');
      const old = ownerKey(o, 'DaemonSet');
      if (old && old !== k) loop.queue.add(old);
      if (!k) return;
      if (n.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.deletionObserved(deletionsKey(k), podKey(n));
      loop.queue.add(k);
    },
    onDelete(p) {
      const k = ownerKey(p, 'DaemonSet');
      if (!k) return;
      expectations.deletionObserved(deletionsKey(k), podKey(p));
      loop.queue.add(k);
    },
  });
  // Placement depends on a node's labels, taints and existence only.
  const placementOf = (n: Node) => JSON.stringify([n.metadata.labels, n.spec?.taints, n.spec?.unschedulable]);
  nodes.addEventHandler({
    onAdd: enqueueAll,
    onUpdate: (o, n) => {
      if (placementOf(o) !== placementOf(n)) enqueueAll();
    },
    onDelete: enqueueAll,
  });
  return loop;
}
