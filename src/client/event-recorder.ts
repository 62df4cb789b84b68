// Records core/v1 Events about objects, as client-go's legacy recorder does:
// named `<object>.<hex>`, repeats of the same reason and message folded into
// one Event with a growing count. Fire-and-forget: recording never throws and
// never blocks the caller; failures are logged.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { realClock, rfc3339, type Clock } from '../machinery/clock.ts';
import { isAlreadyExists, isNotFound } from '../machinery/status.ts';
import type { Client, EventRecorder } from './interfaces.ts';

export type EventRecorderOptions = { clock?: Clock; log?: (line: string) => void; maxCached?: number };

type Aggregate = {
  name: string;
  objectName: string;
  namespace: string;
  count: number;
  first: string;
  /** The Event's fields other than name, count and timestamps. */
  body: Record<string, unknown>;
  pending: Promise<void>;
};

const events = resourceFor('', 'v1', 'events')!;

export class CoreEventRecorder implements EventRecorder {
  private readonly client: Client;
  private readonly component: string;
  private readonly host: string | undefined;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly maxCached: number;
  /** Insertion-ordered, so the oldest aggregate is dropped first. */
  private readonly cache = new Map<string, Aggregate>();
  private seq = 0;

  constructor(client: Client, component: string, host: string | undefined, opts: EventRecorderOptions = {}) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? ((line) => console.error(line));
    this.maxCached = opts.maxCached ?? 4096;
  }

  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    try {
      this.record(obj, type, reason, message);
    } catch (err) {
      this.log(`event recorder ${this.component}: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  /** Resolves once every Event write started so far has finished (for tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.cache.values()].map((a) => a.pending));
  }

  private record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const m = obj.metadata;
    const involvedObject: Record<string, string> = {};
    if (obj.apiVersion) involvedObject['apiVersion'] = obj.apiVersion;
    if (obj.kind) involvedObject['kind'] = obj.kind;
    if (m.namespace) involvedObject['namespace'] = m.namespace;
    if (m.name) involvedObject['name'] = m.name;
    if (m.uid) involvedObject['uid'] = m.uid;
    if (m.resourceVersion) involvedObject['resourceVersion'] = m.resourceVersion;
    const namespace = m.namespace || 'default';
    const now = rfc3339(this.clock.now());
    const key = [involvedObject['kind'], namespace, m.name, m.uid, type, reason, message].join('\u0000');
    const agg = this.cache.get(key);
    if (agg) {
      agg.count++;
      const count = agg.count;
      // Refresh its place in the insertion order.
      this.cache.delete(key);
      this.cache.set(key, agg);
      agg.pending = agg.pending.then(() => this.bump(agg, count, now));
      return;
    }
    const body = {
      involvedObject,
      reason,
      message,
      source: this.host ? { component: this.component, host: this.host } : { component: this.component },
      type,
      reportingComponent: this.component,
      reportingInstance: this.host ?? '',
    };
    const fresh: Aggregate = { name: this.newName(m.name ?? 'unknown'), objectName: m.name ?? 'unknown', namespace, count: 1, first: now, body, pending: Promise.resolve() };
    fresh.pending = this.create(fresh, 1, now).catch((err: unknown) => this.failed(fresh, err));
    this.cache.set(key, fresh);
    if (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }

  private async create(a: Aggregate, count: number, last: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const ev: KubeObject = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: a.name, namespace: a.namespace },
        ...a.body,
        firstTimestamp: a.first,
        lastTimestamp: last,
        count,
      };
      try {
        await this.client.create(events, a.namespace, ev);
        return;
      } catch (err) {
        if (!isAlreadyExists(err) || attempt > 0) throw err;
        a.name = this.newName(a.objectName);
      }
    }
  }

  private async bump(a: Aggregate, count: number, last: string): Promise<void> {
    try {
      await this.client.patch(events, a.namespace, a.name, 'merge', { count, lastTimestamp: last });
    } catch (err) {
      if (!isNotFound(err)) return this.failed(a, err);
      // The Event expired or was deleted: start a new one.
      try {
        await this.create(a, count, last);
      } catch (again) {
        this.failed(a, again);
      }
    }
  }

  private failed(a: Aggregate, err: unknown): void {
    this.log(`event recorder ${this.component}: could not write event ${a.namespace}/${a.name}: ${(err as Error)?.message ?? String(err)}`);
  }

  private newName(objectName: string): string {
    // Like client-go: the object's name and a hex timestamp, here in ns with a counter for uniqueness.
    const ns = BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return `${objectName}.${ns.toString(16)}`;
  }
}

export function createEventRecorder(client: Client, component: string, host?: string, opts: EventRecorderOptions = {}): CoreEventRecorder {
  return new CoreEventRecorder(client, component, host, opts);
}
