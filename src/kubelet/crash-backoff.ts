// Per-container restart back-off: the first restart is immediate, then 10 s
// doubling to 5 minutes; an entry untouched for 10 minutes (the container ran
// that long) starts over.

export const backoffInitialMs = 10_000;
export const backoffMaxMs = 300_000;

type Entry = { delayMs: number; lastUpdate: number };

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  constructor(initialMs = backoffInitialMs, maxMs = backoffMaxMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** True while a container that finished at `finishedAt` must still wait before its restart. */
  inBackoffSince(key: string, finishedAt: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(e, finishedAt)) return false;
    return now - finishedAt < e.delayMs;
  }

  /** When the restart of a container that finished at `finishedAt` is allowed. */
  retryAt(key: string, finishedAt: number): number {
    const e = this.entries.get(key);
    return e ? finishedAt + e.delayMs : finishedAt;
  }

  /** The current delay (for the CrashLoopBackOff message), 0 when none. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Records a restart now: the next one waits twice as long. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(e, now)) this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { delayMs: Math.min(e.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(e: Entry, at: number): boolean {
    return at - e.lastUpdate > 2 * this.maxMs;
  }
}
