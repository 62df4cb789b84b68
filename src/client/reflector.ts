// List, then watch from the list's resourceVersion; resume from the last seen
// resourceVersion when a watch drops, re-list when the server says 410, back
// off on errors. The sink receives the full state (replace) and each change.

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import { realClock, type Clock, type Timer } from '../machinery/clock.ts';
import { isGone } from '../machinery/status.ts';
import type { Client, ClientWatchEvent } from './interfaces.ts';

export type ReflectorSink<T extends KubeObject> = {
  replace(items: T[], resourceVersion: string): void;
  added(obj: T): void;
  modified(obj: T): void;
  deleted(obj: T): void;
};

export type ReflectorOptions<T extends KubeObject> = {
  client: Client;
  resource: ResourceInfo;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  sink: ReflectorSink<T>;
  /** Watch events are decoded without metadata.managedFields (WatchOptions). */
  withoutManagedFields?: boolean;
  clock?: Clock;
  log?: (line: string) => void;
  /** First retry delay after an error, doubled up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
};

export class Reflector<T extends KubeObject> {
  /** The resourceVersion of the last list, event or bookmark seen. */
  lastResourceVersion = '';
  /** How many times the reflector listed (tests and metrics). */
  lists = 0;
  private readonly o: ReflectorOptions<T>;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private backoff: number;
  private running = false;
  private watch: { stop(): void } | undefined;
  private timer: Timer | undefined;
  private readonly what: string;

  constructor(opts: ReflectorOptions<T>) {
    this.o = opts;
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    this.initialBackoff = opts.initialBackoffMs ?? 100;
    this.maxBackoff = opts.maxBackoffMs ?? 30_000;
    this.backoff = this.initialBackoff;
    const r = opts.resource;
    this.what = `${r.group ? `${r.resource}.${r.group}` : r.resource}${opts.namespace ? ` in ${opts.namespace}` : ''}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.list();
  }

  stop(): void {
    this.running = false;
    this.watch?.stop();
    this.watch = undefined;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async list(): Promise<void> {
    if (!this.running) return;
    this.lists++;
    try {
      const opts: { labelSelector?: string; fieldSelector?: string } = {};
      if (this.o.labelSelector) opts.labelSelector = this.o.labelSelector;
      if (this.o.fieldSelector) opts.fieldSelector = this.o.fieldSelector;
      const listed = await this.o.client.list<T>(this.o.resource, this.o.namespace, opts);
      if (!this.running) return;
      const rv = listed.metadata.resourceVersion ?? '';
      this.lastResourceVersion = rv;
      this.o.sink.replace(listed.items, rv);
      this.backoff = this.initialBackoff;
      this.startWatch();
    } catch (err) {
      if (!this.running) return;
      this.log(`reflector ${this.what}: list failed: ${(err as Error).message}`);
      this.retry(() => void this.list());
    }
  }

  private startWatch(): void {
    if (!this.running) return;
    const started = this.clock.now();
    let events = 0;
    const opts = {
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      // Spread the reconnections of many watchers, as client-go does.
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      ...(this.o.labelSelector ? { labelSelector: this.o.labelSelector } : {}),
      ...(this.o.fieldSelector ? { fieldSelector: this.o.fieldSelector } : {}),
      ...(this.o.withoutManagedFields ? { withoutManagedFields: true } : {}),
    };
    const w = this.o.client.watch<T>(
      this.o.resource,
      this.o.namespace,
      opts,
      (ev) => {
        events++;
        this.handle(ev);
      },
      (err) => {
        if (this.watch !== w || !this.running) return;
        this.watch = undefined;
        if (err && isGone(err)) {
          this.log(`reflector ${this.what}: ${err.message}; listing again`);
          void this.list();
        } else if (err) {
          this.log(`reflector ${this.what}: watch ended: ${err.message}`);
          this.retry(() => this.startWatch());
        } else if (events === 0 && this.clock.now() - started < 1000) {
          // A server that ends watches at once: do not spin.
          this.retry(() => this.startWatch());
        } else {
          this.backoff = this.initialBackoff;
          this.startWatch();
        }
      },
    );
    this.watch = w;
  }

  private handle(ev: ClientWatchEvent<T>): void {
    const rv = ev.object?.metadata?.resourceVersion;
    if (rv) this.lastResourceVersion = rv;
    this.backoff = this.initialBackoff;
    switch (ev.type) {
      case 'ADDED':
        return this.o.sink.added(ev.object);
      case 'MODIFIED':
        return this.o.sink.modified(ev.object);
      case 'DELETED':
        return this.o.sink.deleted(ev.object);
      default:
        return; // BOOKMARK: only its resourceVersion matters
    }
  }

  private retry(fn: () => void): void {
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.running) fn();
    }, delay);
  }
}
