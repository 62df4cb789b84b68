// The scheduling queue: active pods by priority then age; a back-off queue (1 s
// doubling to 10 s per attempt); and pods found unschedulable, which wait for a
// cluster event that could help them (or 5 minutes) before they are tried again.

import type { Clock, Timer } from '../../machinery/clock.ts';
import type { ClusterEvent } from '../framework/interface.ts';
import type { PodInfo } from '../framework/node-info.ts';
import { Heap } from './heap.ts';

export type QueuedPodInfo = {
  pi: PodInfo;
  /** When the pod first entered the queue (the age that orders equal priorities). */
  initialAttempt: number;
  /** When it last entered a queue. */
  timestamp: number;
  attempts: number;
  /** Plugins that rejected it in its last cycle; only their events bring it back. */
  unschedulablePlugins: Set<string>;
  backoffExpiry: number;
};

export type QueueOptions = {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Unschedulable pods are retried after this long even without an event. */
  maxUnschedulableMs?: number;
  /** Which plugins care about which cluster events. */
  pluginEvents?: ReadonlyMap<string, ReadonlySet<ClusterEvent>>;
};

const byPriorityThenAge = (a: QueuedPodInfo, b: QueuedPodInfo): boolean =>
  a.pi.priority !== b.pi.priority ? a.pi.priority > b.pi.priority : a.initialAttempt < b.initialAttempt;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly active = new Heap<QueuedPodInfo>((q) => q.pi.key, byPriorityThenAge);
  private readonly backoff = new Heap<QueuedPodInfo>((q) => q.pi.key, (a, b) => a.backoffExpiry < b.backoffExpiry);
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Pods handed out by pop and not yet returned or done: their updates are kept here. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly pluginEvents: ReadonlyMap<string, ReadonlySet<ClusterEvent>>;
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private closed = false;
  private readonly timers: Timer[];
  /** Bumped by every cluster event; a pod that failed during an event goes to back-off, not to sleep. */
  private moveRequestCycle = 0;
  private schedulingCycle = 0;

  constructor(clock: Clock, opts: QueueOptions = {}) {
    this.clock = clock;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
    this.pluginEvents = opts.pluginEvents ?? new Map();
    this.timers = [clock.setInterval(() => this.flushBackoff(), Math.min(1000, this.initialBackoffMs)), clock.setInterval(() => this.flushUnschedulable(), 30_000)];
  }

  /** A new pending pod. */
  add(pi: PodInfo): void {
    const now = this.clock.now();
    this.unschedulable.delete(pi.key);
    this.backoff.delete(pi.key);
    const existing = this.active.get(pi.key);
    this.pushActive({ pi, initialAttempt: existing?.initialAttempt ?? now, timestamp: now, attempts: existing?.attempts ?? 0, unschedulablePlugins: new Set(), backoffExpiry: 0 });
  }

  /** A pending pod changed: a change may make it schedulable, so it is retried. */
  update(pi: PodInfo): void {
    const key = pi.key;
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.pi = pi;
      return;
    }
    for (const h of [this.active, this.backoff]) {
      const q = h.get(key);
      if (q) {
        q.pi = pi;
        h.push(q);
        return;
      }
    }
    const q = this.unschedulable.get(key);
    if (q) {
      this.unschedulable.delete(key);
      q.pi = pi;
      this.requeue(q);
      return;
    }
    this.add(pi);
  }

  /** Replaces the pod's info wherever it waits, without moving it (status-only changes). */
  refresh(pi: PodInfo): void {
    const q = this.inFlight.get(pi.key) ?? this.active.get(pi.key) ?? this.backoff.get(pi.key) ?? this.unschedulable.get(pi.key);
    if (q && q.pi.priority === pi.priority) q.pi = pi;
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** The next pod to schedule; waits for one; undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const q = this.popNow();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next pod without waiting. */
  popNow(): QueuedPodInfo | undefined {
    const q = this.active.pop();
    if (!q) return undefined;
    q.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(q.pi.key, q);
    return q;
  }

  schedulingCycleNow(): number {
    return this.schedulingCycle;
  }

  /** The pod's cycle ended (bound or returned). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * Returns a pod whose cycle failed. `cycle` is the scheduling cycle it was popped
   * in: if a cluster event came since, it may fit now, so it only backs off.
   */
  addUnschedulable(q: QueuedPodInfo, cycle: number, isError = false): void {
    const key = q.pi.key;
    if (!this.inFlight.has(key)) return; // deleted meanwhile
    this.inFlight.delete(key);
    q.timestamp = this.clock.now();
    q.backoffExpiry = q.timestamp + this.backoffFor(q.attempts);
    if (isError || this.moveRequestCycle >= cycle || q.unschedulablePlugins.size === 0) {
      this.backoff.push(q);
    } else {
      this.unschedulable.set(key, q);
    }
  }

  /** A cluster event: pods rejected by plugins that care about it are retried. */
  onEvent(event: ClusterEvent, filter?: (q: QueuedPodInfo) => boolean): void {
    this.moveRequestCycle = this.schedulingCycle;
    const moving: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (filter && !filter(q)) continue;
      if (this.interested(q, event)) moving.push(q);
    }
    for (const q of moving) {
      this.unschedulable.delete(q.pi.key);
      this.requeue(q);
    }
  }

  /** Moves everything asleep back (e.g. after a preemption freed room). */
  moveAll(): void {
    this.moveRequestCycle = this.schedulingCycle;
    const all = [...this.unschedulable.values()];
    this.unschedulable.clear();
    for (const q of all) this.requeue(q);
  }

  sizes(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
  }

  backoffFor(attempts: number): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  flushBackoff(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoff.peek();
      if (!q || q.backoffExpiry > now) break;
      this.backoff.pop();
      this.pushActive(q);
    }
  }

  flushUnschedulable(): void {
    const now = this.clock.now();
    const stale = [...this.unschedulable.values()].filter((q) => now - q.timestamp >= this.maxUnschedulableMs);
    for (const q of stale) {
      this.unschedulable.delete(q.pi.key);
      this.requeue(q);
    }
  }

  private interested(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (q.unschedulablePlugins.size === 0) return true;
    for (const p of q.unschedulablePlugins) if (this.pluginEvents.get(p)?.has(event) ?? true) return true;
    return false;
  }

  private requeue(q: QueuedPodInfo): void {
    if (q.backoffExpiry > this.clock.now()) this.backoff.push(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPodInfo): void {
    const w = this.waiters.shift();
    if (w && this.active.size === 0) {
      q.attempts++;
      this.schedulingCycle++;
      this.inFlight.set(q.pi.key, q);
      w(q);
      return;
    }
    this.active.push(q);
    if (w) w(this.popNow());
  }
}
