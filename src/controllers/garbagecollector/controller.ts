// The garbage collector: informers on every resource feed the owner graph;
// handlers only enqueue uids; the sync does the deleting and orphaning.

import type { KubeObject } from '../../api/meta.ts';
import { resources, type ResourceInfo } from '../../api/scheme.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { OwnerGraph } from './owner-graph.ts';
import { runWorkers } from '../../client/run-workers.ts';
import { foregroundFinalizer, GarbageCollectorSync, orphanFinalizer } from './sync.ts';

/** Events are many and own nothing; events.k8s.io shares their storage. */
export function collectedResources(): ResourceInfo[] {
  return resources.filter((r) => r.resource !== 'events');
}

export async function startGarbageCollector(ctx: ControllerContext): Promise<RunningController & { graph: OwnerGraph }> {
  const graph = new OwnerGraph();
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'garbagecollector' });
  const gc = new GarbageCollectorSync(graph, ctx.client, (uid) => queue.add(uid));

  const observe = (r: ResourceInfo, obj: KubeObject) => {
    const { node, changedOwners, changed } = graph.upsert(r, obj);
    // An update that leaves owners, deletion and finalizers alone changes no decision of the sync.
    if (!changed) return;
    if (node.owners.length > 0 || node.deleting) queue.add(node.uid);
    // When a dependent changes, a foreground-deleting owner may now be free to go.
    for (const o of changedOwners) if (isWaiting(graph, o)) queue.add(o);
    // An owner just marked for foreground or orphan deletion: look at it and at what it owns.
    if (node.deleting && (node.finalizers.includes(foregroundFinalizer) || node.finalizers.includes(orphanFinalizer))) {
      for (const d of graph.dependentsOf(node.uid)) queue.add(d.uid);
    }
  };
  const forget = (obj: KubeObject) => {
    const node = graph.remove(obj.metadata.uid ?? '');
    if (!node) return;
    // Its dependents may be orphans now; its owners may be waiting for it.
    for (const d of graph.dependentsOf(node.uid)) queue.add(d.uid);
    for (const o of node.owners) if (isWaiting(graph, o.uid)) queue.add(o.uid);
  };

  const informers = collectedResources().map((r) => {
    const inf = ctx.informers.informerFor<KubeObject>(r);
    inf.addEventHandler({
      onAdd: (o) => observe(r, o),
      onUpdate: (_old, o) => observe(r, o),
      onDelete: (o) => forget(o),
    });
    return inf;
  });

  let stopped = false;
  const done = (async () => {
    await Promise.all(informers.map((i) => i.waitForSync()));
    if (stopped) return;
    await runWorkers(queue, ctx.options.concurrentSyncs * 4, (uid) => gc.sync(uid), { name: 'garbagecollector', log: ctx.log });
  })();
  return {
    graph,
    async stop() {
      stopped = true;
      queue.shutDown();
      await done;
    },
  };
}

function isWaiting(graph: OwnerGraph, uid: string): boolean {
  const n = graph.get(uid);
  return n !== undefined && n.deleting && n.finalizers.includes(foregroundFinalizer);
}
