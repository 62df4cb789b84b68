// Test helper: records a storage watch and waits for a number of events.

import type { Storage, WatchEvent } from '../interface.ts';

export type CollectedWatch = {
  events: WatchEvent[];
  error: Error | undefined;
  /** Resolves with the events once at least `n` arrived; rejects on a watch error or after `timeoutMs`. */
  waitFor(n: number, timeoutMs?: number): Promise<WatchEvent[]>;
  stop(): void;
};

export function collectWatch(storage: Storage, prefix: string, afterRevision: number): CollectedWatch {
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  const c: CollectedWatch = {
    events: [],
    error: undefined,
    waitFor(n, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (c.events.length >= n) {
            done();
            resolve(c.events);
          } else if (c.error) {
            done();
            reject(c.error);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${n} events, got ${c.events.length}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    stop: () => watcher.stop(),
  };
  const watcher = storage.watch(prefix, afterRevision, {
    onEvents(evs) {
      c.events.push(...evs);
      wake();
    },
    onError(err) {
      c.error = err;
      wake();
    },
  });
  return c;
}
