// The namespace controller: a namespace marked for deletion is queued and
// emptied by NamespaceSync until it can be finalized.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { runWorkers } from '../../client/run-workers.ts';
import { NamespaceSync } from './sync.ts';

export function startNamespaceController(ctx: ControllerContext): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'namespace' });
  const sync = new NamespaceSync(ctx.client, () => ctx.clock.now());
  const inf = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Namespace')!);
  const enqueue = (ns: KubeObject) => {
    if (ns.metadata.deletionTimestamp) queue.add(ns.metadata.name!);
  };
  inf.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n) });
  const done = (async () => {
    await inf.waitForSync();
    await runWorkers(
      queue,
      ctx.options.concurrentSyncs,
      async (name) => {
        const again = await sync.sync(name);
        // Content still going: look again later.
        if (again !== undefined) queue.addAfter(name, again);
      },
      { name: 'namespace', log: ctx.log },
    );
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}
