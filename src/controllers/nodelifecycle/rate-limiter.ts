// A token bucket in injected time: `qps` tokens a second, at most `burst`
// saved up. A zone's NoExecute tainting goes through one.

import type { Clock } from '../../machinery/clock.ts';

export class TokenBucket {
  private readonly clock: Clock;
  private qps: number;
  private readonly burst: number;
  private tokens: number;
  private last: number;

  constructor(clock: Clock, qps: number, burst = 1) {
    this.clock = clock;
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.now();
  }

  get rate(): number {
    return this.qps;
  }

  /** Changes the rate; tokens saved so far are kept. */
  setRate(qps: number): void {
    this.refill();
    this.qps = qps;
  }

  tryAccept(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
  }
}
