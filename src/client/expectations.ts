// Controller expectations: after a controller asks for N creations or
// deletions for a key, it waits for its informer to observe them before it
// acts on that key again, so a stale cache cannot make it create or delete
// twice. Expectations never observed expire after 5 minutes.

import { realClock, type Clock } from '../machinery/clock.ts';

export const expectationsTimeoutMs = 5 * 60 * 1000;

type Expectation = { add: number; del: number; at: number; uids?: Set<string> };

export class ControllerExpectations {
  private readonly records = new Map<string, Expectation>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;

  constructor(clock: Clock = realClock, timeoutMs = expectationsTimeoutMs) {
    this.clock = clock;
    this.timeoutMs = timeoutMs;
  }

  /** True when the controller may reconcile `key`: nothing expected, all observed, or the expectations expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    if (r.add <= 0 && r.del <= 0) return true;
    return this.clock.now() - r.at > this.timeoutMs;
  }

  /** Replaces what is expected for `key`. */
  expectCreations(key: string, n: number): void {
    this.set(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.set(key, 0, n);
  }

  /** Expects the deletion of these pods (by uid); a delete seen twice (event and re-list) counts once. */
  expectDeletionsOf(key: string, uids: readonly string[]): void {
    this.set(key, 0, uids.length);
    this.records.get(key)!.uids = new Set(uids);
  }

  /** Adds to what is expected (e.g. more creations on top of a batch). */
  raise(key: string, add: number, del: number): void {
    const r = this.records.get(key);
    if (!r) return this.set(key, add, del);
    r.add += add;
    r.del += del;
  }

  /** A creation failed or was skipped: expect one fewer. */
  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string, uid?: string): void {
    const r = this.records.get(key);
    if (!r) return;
    if (r.uids && uid !== undefined) {
      if (!r.uids.delete(uid)) return;
    }
    r.del--;
  }

  /** Forgets `key` (its object was deleted). */
  delete(key: string): void {
    this.records.delete(key);
  }

  /** What is still expected, for logs and tests. */
  pending(key: string): { add: number; del: number } | undefined {
    const r = this.records.get(key);
    return r ? { add: r.add, del: r.del } : undefined;
  }

  private set(key: string, add: number, del: number): void {
    this.records.set(key, { add, del, at: this.clock.now() });
  }
}
