// The run loop of the StatefulSet, DaemonSet, Job and CronJob controllers:
// common/start-workers.ts with a queue of their own and quiet conflicts.

import type { KubeObject } from '../../api/meta.ts';
import type { Informer } from '../../client/interfaces.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { isConflict } from '../../machinery/status.ts';
import { controllerOf } from '../common/controller-ref.ts';
import { startWorkers } from '../common/start-workers.ts';
import type { ControllerContext, RunningController } from '../types.ts';

export type Loop = RunningController & { queue: RateLimitedQueue<string> };

export function startLoop(ctx: ControllerContext, name: string, informers: readonly Informer<KubeObject>[], sync: (key: string) => Promise<void>): Loop {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name });
  const workers = startWorkers({ name, queue, workers: ctx.options.concurrentSyncs, informers, sync: (key) => quietOnConflict(sync, key), log: ctx.log });
  return { queue, stop: () => workers.stop() };
}

/**
 * A conflict means the server holds a newer object than our cache: its watch
 * event is on the way and will bring the key back, so there is nothing to retry.
 */
async function quietOnConflict(sync: (key: string) => Promise<void>, key: string): Promise<void> {
  try {
    await sync(key);
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
}

/** The `namespace/name` key of the object's controller when it is of `kind`. */
export function ownerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = controllerOf(obj);
  return ref?.kind === kind ? `${obj.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

export const podKey = (obj: KubeObject): string => `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
