// The window of recent events a watch can resume from, oldest first.

export type CacheEvent<T> = {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  /** For DELETED: the last state, carrying the delete's revision. */
  object: T;
  /** For MODIFIED: the state before the write. */
  prevObject?: T;
  revision: number;
  /** The watch event without filter transitions, shared by every watcher that receives it. */
  shared?: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T; revision: number };
};

export class EventHistory<T> {
  private events: CacheEvent<T>[] = [];
  private start = 0;
  private readonly capacity: number;
  /** Every event with a revision above this is in the window. */
  complete = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
  }

  /** Empties the window; it is complete from `revision` on. */
  reset(revision: number): void {
    this.events = [];
    this.start = 0;
    this.complete = revision;
  }

  push(ev: CacheEvent<T>): void {
    this.events.push(ev);
    if (this.events.length - this.start > this.capacity) {
      this.complete = this.events[this.start]!.revision;
      this.start++;
      // Drop the dead head in bulk so the array does not grow forever.
      if (this.start >= this.capacity) {
        this.events = this.events.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Events with revision > `after`, or undefined if some of them already left the window. */
  since(after: number): CacheEvent<T>[] | undefined {
    if (after < this.complete) return undefined;
    let lo = this.start;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid]!.revision <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }
}
