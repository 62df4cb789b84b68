// The controllers' work queue: a FIFO of keys where a key waits at most once
// (dirty set), is never handed to two workers at a time (processing set), and
// can come back after a delay or its own exponential back-off.

import { realClock, type Clock, type Timer } from '../machinery/clock.ts';
import type { WorkQueue } from './interfaces.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.ts';

export type WorkQueueOptions<K> = { clock?: Clock; rateLimiter?: RateLimiter<K>; name?: string };

export class RateLimitedQueue<K = string> implements WorkQueue<K> {
  readonly name: string;
  private queue: K[] = [];
  private head = 0;
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiting = new Map<K, { at: number; timer: Timer }>();
  private waiters: ((k: K | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter<K>;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.clock = opts.clock ?? realClock;
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
    this.name = opts.name ?? 'queue';
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    // Processing now: it goes back on the queue when done() is called.
    if (this.processing.has(key)) return;
    this.push(key);
  }

  /** A key already waiting keeps the earlier of its two times. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) return this.add(key);
    const at = this.clock.now() + delayMs;
    const prev = this.waiting.get(key);
    if (prev) {
      if (prev.at <= at) return;
      prev.timer.cancel();
    }
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(key);
      this.add(key);
    }, delayMs);
    this.waiting.set(key, { at, timer });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.limiter.when(key));
  }

  forget(key: K): void {
    this.limiter.forget(key);
  }

  /** Failures counted for `key` since its last forget(). */
  numRequeues(key: K): number {
    return this.limiter.failures(key);
  }

  get(): Promise<K | undefined> {
    const k = this.take();
    if (k !== undefined || this.shuttingDown) return Promise.resolve(k);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) this.push(key);
    else if (this.shuttingDown && this.processing.size === 0) this.releaseWaiters();
  }

  len(): number {
    return this.queue.length - this.head;
  }

  /** Keys being processed now. */
  processingCount(): number {
    return this.processing.size;
  }

  shuttingDownNow(): boolean {
    return this.shuttingDown;
  }

  /** Waiting keys are dropped; queued ones are still handed out, then get() answers undefined. */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    if (this.len() === 0) this.releaseWaiters();
  }

  private push(key: K): void {
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
      return;
    }
    this.queue.push(key);
  }

  private take(): K | undefined {
    if (this.head >= this.queue.length) return undefined;
    const key = this.queue[this.head++]!;
    // Compact now and then rather than shift() each time.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  private releaseWaiters(): void {
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
