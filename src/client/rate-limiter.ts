// How long an item waits before its retry: the slower of a per-item
// exponential back-off and an overall token bucket, as client-go's default
// controller rate limiter.

import type { Clock } from '../machinery/clock.ts';

export interface RateLimiter<K> {
  /** Delay in ms before `key` may be processed again; counts as one more failure. */
  when(key: K): number;
  forget(key: K): void;
  failures(key: K): number;
}

/** baseMs · 2^failures, capped at maxMs. */
export class ExponentialBackoff<K> implements RateLimiter<K> {
  private readonly counts = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(baseMs = 5, maxMs = 1_000_000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  when(key: K): number {
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    // 2^n overflows to Infinity long after it passes any cap: min() handles it.
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  forget(key: K): void {
    this.counts.delete(key);
  }

  failures(key: K): number {
    return this.counts.get(key) ?? 0;
  }
}

/** A token bucket over all items: `qps` refill, `burst` capacity; a taken token may be owed (delay). */
export class TokenBucket<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;

  constructor(clock: Clock, qps = 10, burst = 100) {
    this.clock = clock;
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_key: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_key: K): void {}

  failures(_key: K): number {
    return 0;
  }
}

export class MaxOf<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];
  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }
  when(key: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(key));
    return max;
  }
  forget(key: K): void {
    for (const l of this.limiters) l.forget(key);
  }
  failures(key: K): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.failures(key));
    return max;
  }
}

/** 5 ms doubling to 1000 s per item, and 10 qps with a burst of 100 overall. */
export function defaultControllerRateLimiter<K>(clock: Clock): RateLimiter<K> {
  return new MaxOf<K>(new ExponentialBackoff<K>(5, 1_000_000), new TokenBucket<K>(clock, 10, 100));
}
