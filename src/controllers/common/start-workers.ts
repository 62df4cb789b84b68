// The run loop every workload controller shares: wait for its informers'
// first lists, then run workers over the queue; a sync may ask to see its key
// again later (minReadySeconds, progress deadlines).

import type { Informer, WorkQueue } from '../../client/interfaces.ts';
import { runWorkers } from '../../client/run-workers.ts';
import type { KubeObject } from '../../api/meta.ts';
import { isConflict } from '../../machinery/status.ts';

const conflictRetryMs = 250;

export type KeySync = (key: string) => Promise<{ requeueAfterMs?: number } | void>;

export type StartWorkersOptions = {
  name: string;
  queue: WorkQueue<string>;
  workers: number;
  /** Workers start once all of these have their first list. */
  informers: readonly Pick<Informer<KubeObject>, 'waitForSync'>[];
  sync: KeySync;
  log: (line: string) => void;
};

/** Starts in the background; `stop()` shuts the queue down and waits for the workers. */
export function startWorkers(o: StartWorkersOptions): { stop(): Promise<void> } {
  let stopped = false;
  let running = false;
  const done = (async () => {
    await Promise.all(o.informers.map((i) => i.waitForSync()));
    if (stopped) return;
    running = true;
    await runWorkers(
      o.queue,
      o.workers,
      async (key) => {
        let r: Awaited<ReturnType<KeySync>>;
        try {
          r = await o.sync(key);
        } catch (e) {
          // A conflict means the cache is behind: the event that moves it on enqueues the key again.
          // Retry soon in any case, without growing the key's back-off.
          if (!isConflict(e)) throw e;
          r = { requeueAfterMs: conflictRetryMs };
        }
        if (r?.requeueAfterMs !== undefined) o.queue.addAfter(key, r.requeueAfterMs);
      },
      { name: o.name, log: o.log },
    );
  })();
  return {
    async stop() {
      stopped = true;
      o.queue.shutDown();
      // Informers that never synced (factory stopped first) leave the loop pending: only wait for running workers.
      if (running) await done;
    },
  };
}
