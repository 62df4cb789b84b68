// The pod GC controller: PodGC.run every podGCPeriodMs.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { PodGC, type Pod } from './sync.ts';

export function startPodGCController(ctx: ControllerContext): RunningController & { gc: PodGC } {
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const nodes = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Node')!);
  const gc = new PodGC(ctx.client, pods.lister, nodes.lister, () => ctx.clock.now(), {
    terminatedPodGCThreshold: ctx.options.terminatedPodGCThreshold,
    quarantineMs: Math.min(40_000, ctx.options.podGCPeriodMs * 2),
  });
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: { cancel(): void } | undefined;
  const synced = Promise.all([pods.waitForSync(), nodes.waitForSync()]).then(() => {
    if (stopped) return;
    timer = ctx.clock.setInterval(() => {
      running = running.then(() => gc.run()).catch((e: Error) => ctx.log(`podgc: ${e.message}`));
    }, ctx.options.podGCPeriodMs);
  });
  return {
    gc,
    async stop() {
      stopped = true;
      await synced;
      timer?.cancel();
      await running;
    },
  };
}
