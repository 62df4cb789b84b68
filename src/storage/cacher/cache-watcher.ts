// One client watch on the cache: filters events with Kubernetes' transition
// rules and hands them over in a microtask, in order, after any replay.

import type { CacheEvent } from './event-history.ts';
import { DeliveryQueue } from '../delivery-queue.ts';

export type CacheWatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; revision: number };

export type CacheWatchHandler<T> = {
  onEvent(ev: CacheWatchEvent<T>): void;
  onError(err: Error): void;
};

export class CacheWatcher<T> {
  readonly prefix: string;
  private readonly after: number;
  private readonly filter: (obj: T) => boolean;
  private readonly withRevision: (obj: T, revision: number) => T;
  private readonly queue: DeliveryQueue<CacheWatchEvent<T>>;

  constructor(
    prefix: string,
    after: number,
    filter: (obj: T) => boolean,
    handler: CacheWatchHandler<T>,
    withRevision: (obj: T, revision: number) => T,
    onStop: (w: CacheWatcher<T>) => void,
  ) {
    this.prefix = prefix;
    this.after = after;
    this.filter = filter;
    this.withRevision = withRevision;
    this.queue = new DeliveryQueue(`cache watch handler for prefix ${JSON.stringify(prefix)}`, {
      // One event at a time: a handler may stop the watch part-way through a batch.
      deliver: (events) => {
        for (const ev of events) {
          if (this.queue.stopped) return;
          this.queue.call(() => handler.onEvent(ev));
        }
      },
      onError: (err) => handler.onError(err),
      onStop: () => onStop(this),
    });
  }

  get stopped(): boolean {
    return this.queue.stopped;
  }

  push(ev: CacheEvent<T>): void {
    if (!this.queue.open || ev.revision <= this.after || !ev.key.startsWith(this.prefix)) return;
    const out = this.convert(ev);
    if (out) this.queue.push(out);
  }

  fail(err: Error): void {
    this.queue.fail(err);
  }

  stop(): void {
    this.queue.stop();
  }

  private convert(ev: CacheEvent<T>): CacheWatchEvent<T> | undefined {
    const { revision } = ev;
    if (ev.type !== 'MODIFIED' || ev.prevObject === undefined) {
      return this.filter(ev.object) ? plain(ev) : undefined;
    }
    const now = this.filter(ev.object);
    const before = this.filter(ev.prevObject);
    if (now) return before ? plain(ev) : { type: 'ADDED', object: ev.object, revision };
    // Leaving the selection looks like a delete of what the client last saw.
    if (before) return { type: 'DELETED', object: this.withRevision(ev.prevObject, revision), revision };
    return undefined;
  }
}

/** The event as most watchers see it, built once and shared by all of them. */
function plain<T>(ev: CacheEvent<T>): CacheWatchEvent<T> {
  ev.shared ??= { type: ev.type, object: ev.object, revision: ev.revision };
  return ev.shared;
}
