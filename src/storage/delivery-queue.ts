// Hands a watcher its events in a microtask, in order: a handler never runs
// inside the write (or cache update) that caused the event, replayed history
// always precedes live events, and an error ends the watch after what was queued.
// Shared by the SQLite log's watchers and the watch cache's watchers.

export type DeliveryTarget<E> = {
  /** Receives a batch; may call stop() on the queue part-way. */
  deliver(events: E[]): void;
  onError(err: Error): void;
  /** Called once, on stop() or fail(), so the owner can forget the watcher. */
  onStop(): void;
};

export class DeliveryQueue<E> {
  private readonly label: string;
  private readonly target: DeliveryTarget<E>;
  private queue: E[] = [];
  private error: Error | undefined;
  private scheduled = false;
  stopped = false;

  constructor(label: string, target: DeliveryTarget<E>) {
    this.label = label;
    this.target = target;
  }

  /** False once the watch is stopped or failing: nothing more is accepted. */
  get open(): boolean {
    return !this.stopped && !this.error;
  }

  push(ev: E): void {
    if (!this.open) return;
    this.queue.push(ev);
    this.schedule();
  }

  pushAll(events: readonly E[]): void {
    if (!this.open) return;
    for (const ev of events) this.queue.push(ev);
    this.schedule();
  }

  /** Ends the watch after the queued events. */
  fail(err: Error): void {
    if (!this.open) return;
    this.error = err;
    this.target.onStop();
    this.schedule();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue = [];
    this.target.onStop();
  }

  /** Runs a handler call; a throwing handler must not break delivery to other watchers. */
  call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      console.error(`${this.label} threw`, err);
    }
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
    if (events.length > 0) this.target.deliver(events);
    if (this.error && !this.stopped) {
      this.stopped = true;
      const err = this.error;
      this.call(() => this.target.onError(err));
    }
  }
}
