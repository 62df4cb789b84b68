// One client watch on the cache: filters events with Kubernetes' transition
// rules and hands them over in a microtask, in order, after any replay.

import type { CacheEvent } from './event-history.ts';

export type CacheWatchEvent<T> = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; revision: number };

export type CacheWatchHandler<T> = {
  onEvent(ev: CacheWatchEvent<T>): void;
  onError(err: Error): void;
};

export class CacheWatcher<T> {
  readonly prefix: string;
  private readonly after: number;
  private readonly filter: (obj: T) => boolean;
  private readonly handler: CacheWatchHandler<T>;
  private readonly withRevision: (obj: T, revision: number) => T;
  private readonly onStop: (w: CacheWatcher<T>) => void;
  private queue: CacheWatchEvent<T>[] = [];
  private error: Error | undefined;
  private scheduled = false;
  stopped = false;

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
    this.handler = handler;
    this.withRevision = withRevision;
    this.onStop = onStop;
  }

  push(ev: CacheEvent<T>): void {
    if (this.stopped || this.error || ev.revision <= this.after || !ev.key.startsWith(this.prefix)) return;
    const out = this.convert(ev);
    if (!out) return;
    this.queue.push(out);
    this.schedule();
  }

  fail(err: Error): void {
    if (this.stopped || this.error) return;
    this.error = err;
    this.onStop(this);
    this.schedule();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.onStop(this);
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

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const events = this.queue;
    this.queue = [];
    for (const ev of events) {
      if (this.stopped) return;
      this.call(() => this.handler.onEvent(ev));
    }
    if (this.error && !this.stopped) {
      this.stopped = true;
      const err = this.error;
      this.call(() => this.handler.onError(err));
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error(`cache watch handler for prefix ${JSON.stringify(this.prefix)} threw`, err);
    }
  }
}

/** The event as most watchers see it, built once and shared by all of them. */
function plain<T>(ev: CacheEvent<T>): CacheWatchEvent<T> {
  ev.shared ??= { type: ev.type, object: ev.object, revision: ev.revision };
  return ev.shared;
}
