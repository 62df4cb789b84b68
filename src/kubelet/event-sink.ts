// The kubelet's Events (source component `kubelet`, host = node), shared by
// every node of the process: a repeat of the same event bumps `count` on the
// existing object, as Kubernetes' event correlator does; writes are limited
// to `qps` per second, and when the API server falls behind the oldest queued
// events are dropped rather than starving pod status writes.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { Client, EventRecorder } from '../client/interfaces.ts';
import { rfc3339, type Clock } from '../machinery/clock.ts';
import { isNotFound } from '../machinery/status.ts';

const events = resourceFor('', 'v1', 'events')!;

export type EventSinkOptions = { client: Client; clock: Clock; log: (line: string) => void; qps?: number; burst?: number; concurrency?: number; maxQueued?: number };

type Seen = { name: string; namespace: string; count: number };
/** The object an Event is about: only its identity is queued, not the object (a queue of old pod versions would stay in memory). */
type InvolvedObject = { kind: string; apiVersion: string; namespace: string | undefined; name: string | undefined; uid: string | undefined };
/** What an Event is made of; the object itself is built only if it is sent (most are dropped under load). */
type Queued = { involved: InvolvedObject; component: string; host: string; type: string; reason: string; message: string; at: number; seq: number };
type Built = { key: string; event: KubeObject };

const maxRemembered = 4096;

export class EventSink {
  private readonly opts: Required<EventSinkOptions>;
  private readonly queue: Queued[] = [];
  private readonly seen = new Map<string, Seen>();
  private inFlight = 0;
  private seq = 0;
  private tokens: number;
  private lastRefill: number;
  private wakeup = false;
  dropped = 0;
  sent = 0;

  constructor(opts: EventSinkOptions) {
    this.opts = { qps: 50, burst: 100, concurrency: 4, maxQueued: 5000, ...opts };
    this.tokens = this.opts.burst;
    this.lastRefill = opts.clock.now();
  }

  /** A recorder for one component on one host. */
  recorder(component: string, host: string): EventRecorder {
    return { event: (obj, type, reason, message) => this.enqueue(obj, component, host, type, reason, message) };
  }

  private enqueue(obj: KubeObject, component: string, host: string, type: string, reason: string, message: string): void {
    if (this.queue.length >= this.opts.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
    const m = obj.metadata;
    const involved = { kind: obj.kind ?? 'Pod', apiVersion: obj.apiVersion ?? 'v1', namespace: m.namespace, name: m.name, uid: m.uid };
    this.queue.push({ involved, component, host, type, reason, message, at: this.opts.clock.now(), seq: this.seq++ });
    this.pump();
  }

  private build(q: Queued): Built {
    const { involved: m, component, host, at } = q;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${(at * 1000 + (q.seq % 1000)).toString(16)}`, namespace: m.namespace ?? 'default' },
      involvedObject: { kind: m.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: m.apiVersion },
      reason: q.reason,
      message: q.message,
      source: { component, host },
      firstTimestamp: rfc3339(at),
      lastTimestamp: rfc3339(at),
      count: 1,
      type: q.type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host,
    };
    return { key: [m.uid, component, host, q.type, q.reason, q.message].join('\u0000'), event };
  }

  private refill(): void {
    const now = this.opts.clock.now();
    this.tokens = Math.min(this.opts.burst, this.tokens + ((now - this.lastRefill) / 1000) * this.opts.qps);
    this.lastRefill = now;
  }

  private pump(): void {
    this.refill();
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0 && this.tokens >= 1) {
      const q = this.build(this.queue.shift()!);
      this.tokens -= 1;
      this.inFlight++;
      this.send(q)
        .then(
          () => void this.sent++,
          (e: Error) => this.opts.log(`event ${q.event.metadata.name}: ${e.message}`),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
    if (this.queue.length > 0 && this.tokens < 1 && !this.wakeup) {
      this.wakeup = true;
      this.opts.clock.setTimeout(() => {
        this.wakeup = false;
        this.pump();
      }, Math.ceil(1000 / this.opts.qps));
    }
  }

  private async send(q: Built): Promise<void> {
    const prior = this.seen.get(q.key);
    if (prior) {
      prior.count++;
      try {
        await this.opts.client.patch(events, prior.namespace, prior.name, 'merge', { count: prior.count, lastTimestamp: q.event['lastTimestamp'] });
        return;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    await this.opts.client.create(events, q.event.metadata.namespace, q.event);
    if (this.seen.size >= maxRemembered) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(q.key, { name: q.event.metadata.name ?? '', namespace: q.event.metadata.namespace ?? '', count: 1 });
  }

  /** Resolves when every queued event has been sent (tests, clean shutdown). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise((r) => setTimeout(r, 10));
  }
}
