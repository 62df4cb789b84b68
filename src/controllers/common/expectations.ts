// Expectations: after a sync issues N creates and M deletes, the controller
// waits until its informer has seen them before acting on the key again, so a
// stale cache never makes it create or delete twice. Entries expire (5 min) so
// a lost watch event cannot wedge a controller forever.

import type { Clock } from '../../machinery/clock.ts';

export const expectationsTimeoutMs = 5 * 60_000;

type Entry = { adds: number; deletes: number; at: number; deleting: Set<string> };

export class ControllerExpectations {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  constructor(clock: Clock) {
    this.clock = clock;
  }

  /** True when the controller may sync `key`: nothing pending, expired, or never set. */
  satisfied(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes <= 0) return true;
    return this.clock.now() - e.at > expectationsTimeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.set(key, n, 0, []);
  }

  /** Deletions are tracked by pod key so a delete seen twice (mark, then removal) counts once. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.set(key, 0, podKeys.length, podKeys);
  }

  /** A create the informer observed, or one that failed and will never be observed. */
  creationObserved(key: string): void {
    const e = this.entries.get(key);
    if (e) e.adds--;
  }

  deletionObserved(key: string, podKey: string): void {
    const e = this.entries.get(key);
    if (e && e.deleting.delete(podKey)) e.deletes--;
  }

  /** Forget `key` (its owner was deleted). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  pending(key: string): { adds: number; deletes: number } | undefined {
    const e = this.entries.get(key);
    return e && { adds: e.adds, deletes: e.deletes };
  }

  private set(key: string, adds: number, deletes: number, podKeys: readonly string[]): void {
    this.entries.set(key, { adds, deletes, at: this.clock.now(), deleting: new Set(podKeys) });
  }
}
