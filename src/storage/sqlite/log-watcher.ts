// One storage watcher: its events are delivered in batches through a
// DeliveryQueue, never inside a write's commit.

import type { WatchEvent, WatchHandler, Watcher } from '../interface.ts';
import { DeliveryQueue } from '../delivery-queue.ts';

export class LogWatcher implements Watcher {
  readonly prefix: string;
  private readonly queue: DeliveryQueue<WatchEvent>;

  constructor(prefix: string, handler: WatchHandler, onStop: (w: LogWatcher) => void) {
    this.prefix = prefix;
    this.queue = new DeliveryQueue(`storage watch handler for prefix ${JSON.stringify(prefix)}`, {
      deliver: (events) => this.queue.call(() => handler.onEvents(events)),
      onError: (err) => handler.onError(err),
      onStop: () => onStop(this),
    });
  }

  push(events: WatchEvent[]): void {
    this.queue.pushAll(events);
  }

  /** Ends the watch after the queued events. */
  fail(err: Error): void {
    this.queue.fail(err);
  }

  stop(): void {
    this.queue.stop();
  }
}
