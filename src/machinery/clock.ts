// Time comes from a Clock so tests of back-off, leases and expiry run in fake time.

export type Timer = { cancel(): void };

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): Timer;
  setInterval(fn: () => void, ms: number): Timer;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = setInterval(fn, ms);
    t.unref?.();
    return { cancel: () => clearInterval(t) };
  },
};

// The last second formatted: a busy API server stamps thousands of writes
// (creationTimestamp, managedFields times) within the same second.
let lastSecond = NaN;
let lastText = '';

/** Kubernetes timestamps: RFC 3339 in seconds, `2026-11-26T10:00:00Z`. */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastText = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastText;
}

/** MicroTime: `2026-11-26T10:00:00.123456Z`. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A clock moved by hand, for tests. */
export class FakeClock implements Clock {
  private time: number;
  private timers: { at: number; fn: () => void; every?: number; id: number }[] = [];
  private nextId = 0;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.time = start;
  }
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): Timer {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return { cancel: () => this.remove(id) };
  }
  setInterval(fn: () => void, ms: number): Timer {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, every: Math.max(1, ms), id });
    return { cancel: () => this.remove(id) };
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.time = next.at;
      if (next.every !== undefined) next.at += next.every;
      else this.timers.shift();
      next.fn();
    }
    this.time = end;
  }
  private remove(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
}
