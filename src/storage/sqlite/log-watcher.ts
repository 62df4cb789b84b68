// One storage watcher: events are queued and handed over in a microtask, so a
// handler never runs inside a write's commit and the replayed history always
// precedes live events.

import type { WatchEvent, WatchHandler, Watcher } from '../interface.ts';

export class LogWatcher implements Watcher {
  readonly prefix: string;
  private readonly handler: WatchHandler;
  private readonly onStop: (w: LogWatcher) => void;
  private queue: WatchEvent[] = [];
  private error: Error | undefined;
  private scheduled = false;
  private stopped = false;

  constructor(prefix: string, handler: WatchHandler, onStop: (w: LogWatcher) => void) {
    this.prefix = prefix;
    this.handler = handler;
    this.onStop = onStop;
  }

  push(events: WatchEvent[]): void {
    if (this.stopped || this.error) return;
    for (const ev of events) this.queue.push(ev);
    this.schedule();
  }

  /** Ends the watch after the queued events. */
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

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const events = this.queue;
    this.queue = [];
    if (events.length > 0) this.call(() => this.handler.onEvents(events));
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
      // A throwing handler must not break delivery to the other watchers.
      console.error(`storage watch handler for prefix ${JSON.stringify(this.prefix)} threw`, err);
    }
  }
}
