// ServiceAccounts: every active namespace has a `default` ServiceAccount,
// recreated if someone deletes it.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import { isAlreadyExists, isNotFound, isStatusError } from '../../machinery/status.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { runWorkers } from '../../client/run-workers.ts';
import type { ControllerContext, RunningController } from '../types.ts';

const saResource = resourceForKind('', 'ServiceAccount')!;
export const defaultServiceAccounts = ['default'];

export function startServiceAccountController(ctx: ControllerContext): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'serviceaccount' });
  const namespaces = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Namespace')!);
  const accounts = ctx.informers.informerFor<KubeObject>(saResource);
  namespaces.addEventHandler({ onAdd: (n) => queue.add(n.metadata.name!), onUpdate: (_o, n) => queue.add(n.metadata.name!) });
  accounts.addEventHandler({ onDelete: (sa) => queue.add(sa.metadata.namespace!) });

  const sync = async (ns: string): Promise<void> => {
    const namespace = namespaces.lister.get(undefined, ns);
    if (!namespace || namespace.metadata.deletionTimestamp) return;
    for (const name of defaultServiceAccounts) {
      if (accounts.lister.get(ns, name)) continue;
      try {
        await ctx.client.create(saResource, ns, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
      } catch (e) {
        // Exists already (the cache lags), or the namespace went meanwhile: nothing to do.
        if (isAlreadyExists(e) || isNotFound(e)) continue;
        if (isStatusError(e) && e.code === 403) continue;
        throw e;
      }
    }
  };
  const done = (async () => {
    await Promise.all([namespaces.waitForSync(), accounts.waitForSync()]);
    await runWorkers(queue, ctx.options.concurrentSyncs, sync, { name: 'serviceaccount', log: ctx.log });
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}
