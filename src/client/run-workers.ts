// The controller runner: n workers take keys from the queue and reconcile
// them; a failed key is logged and comes back with its back-off, a key that
// succeeded has its back-off reset. Resolves once the queue is shut down and
// every worker has finished its last key.

import type { WorkQueue } from './interfaces.ts';

export type RunWorkersOptions = {
  /** Who is logging: the controller's name. */
  name?: string;
  log?: (line: string) => void;
};

export async function runWorkers<K>(
  queue: WorkQueue<K>,
  n: number,
  sync: (key: K) => Promise<void>,
  opts: RunWorkersOptions = {},
): Promise<void> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const name = opts.name ?? 'controller';
  const worker = async (): Promise<void> => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        log(`${name}: error syncing ${JSON.stringify(key)}: ${(err as Error)?.message ?? String(err)}; retrying with back-off`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
}
