// One informer per resource, namespace and selector per process (or thread),
// so every component there shares one list and one watch per resource.
// Components that come and go (a leader that loses its lease, then wins it
// back) each take a view: what a view added goes away when it stops, and an
// informer no view uses any more stops and is forgotten, so the next view
// asking for it gets a fresh one that lists again.

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import type { Clock } from '../machinery/clock.ts';
import type { Client, EventHandlers, Informer, Lister, SharedInformerFactory } from './interfaces.ts';
import { SharedInformer } from './informer.ts';

export type InformerScope = { namespace?: string; labelSelector?: string; fieldSelector?: string };

const informerKey = (r: ResourceInfo, scope: InformerScope) =>
  [r.group, r.version, r.resource, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');

/**
 * `start()` starts the informers asked for so far; call it again after asking for more.
 * Use a factory either directly or through its views (`forComponent()`), not both.
 */
export class InformerFactory implements SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly started = new Set<string>();
  /** How many views use each informer. */
  private readonly users = new Map<string, number>();
  private readonly client: Client;
  private readonly log: ((line: string) => void) | undefined;
  private stopped = false;

  /** Reflectors retry network errors in real time even when the component runs on a fake clock. */
  constructor(client: Client, opts: { clock?: Clock; log?: (line: string) => void } = {}) {
    this.client = client;
    this.log = opts.log;
  }

  informerFor<T extends KubeObject>(r: ResourceInfo, scope: InformerScope = {}): Informer<T> {
    return this.informer(informerKey(r, scope), r, scope) as unknown as Informer<T>;
  }

  start(): void {
    for (const key of this.informers.keys()) this.run(key);
  }

  /** Resolves once every started informer has its initial list. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.started].map((k) => this.informers.get(k)!.waitForSync()));
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }

  /** A component's view of these informers: its handlers and indexes are removed when it stops. */
  forComponent(): SharedInformerFactory {
    return new ComponentInformers(this);
  }

  /** For views: the informer of `key`, counted as used until `release(key)`. */
  acquire(key: string, r: ResourceInfo, scope: InformerScope): SharedInformer<KubeObject> {
    this.users.set(key, (this.users.get(key) ?? 0) + 1);
    return this.informer(key, r, scope);
  }

  release(key: string): void {
    const n = (this.users.get(key) ?? 0) - 1;
    if (n > 0) {
      this.users.set(key, n);
      return;
    }
    this.users.delete(key);
    this.informers.get(key)?.stop();
    this.informers.delete(key);
    this.started.delete(key);
  }

  run(key: string): void {
    if (this.stopped || this.started.has(key)) return;
    const inf = this.informers.get(key);
    if (!inf) return;
    this.started.add(key);
    inf.run();
  }

  private informer(key: string, r: ResourceInfo, scope: InformerScope): SharedInformer<KubeObject> {
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer<KubeObject>({ client: this.client, resource: r, ...scope, ...(this.log ? { log: this.log } : {}) });
      this.informers.set(key, inf);
    }
    return inf;
  }
}

/** One component's share of an InformerFactory. */
class ComponentInformers implements SharedInformerFactory {
  private readonly base: InformerFactory;
  private readonly mine = new Map<string, ComponentInformer<KubeObject>>();
  private readonly started = new Set<string>();
  private stopped = false;

  constructor(base: InformerFactory) {
    this.base = base;
  }

  informerFor<T extends KubeObject>(r: ResourceInfo, scope: InformerScope = {}): Informer<T> {
    const key = informerKey(r, scope);
    let inf = this.mine.get(key);
    if (!inf) {
      inf = new ComponentInformer(this.base.acquire(key, r, scope));
      this.mine.set(key, inf);
    }
    return inf as unknown as Informer<T>;
  }

  /** Starts only this component's informers: another's may still be adding indexes. */
  start(): void {
    if (this.stopped) return;
    for (const key of this.mine.keys()) {
      this.started.add(key);
      this.base.run(key);
    }
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.started].map((k) => this.mine.get(k)!.waitForSync()));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const [key, inf] of this.mine) {
      inf.detach();
      this.base.release(key);
    }
    this.mine.clear();
    this.started.clear();
  }
}

/** A shared informer as one component sees it: remembers what the component added to it. */
class ComponentInformer<T extends KubeObject> implements Informer<T> {
  readonly lister: Lister<T>;
  private readonly inf: SharedInformer<T>;
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly indexes: string[] = [];

  constructor(inf: SharedInformer<T>) {
    this.inf = inf;
    this.lister = inf.lister;
  }

  addEventHandler(h: EventHandlers<T>): void {
    this.inf.addEventHandler(h);
    this.handlers.push(h);
  }

  addIndex(name: string, fn: (obj: T) => string[]): void {
    this.inf.addIndex(name, fn);
    this.indexes.push(name);
  }

  hasSynced(): boolean {
    return this.inf.hasSynced();
  }

  waitForSync(): Promise<void> {
    return this.inf.waitForSync();
  }

  detach(): void {
    for (const h of this.handlers) this.inf.removeEventHandler(h);
    for (const name of this.indexes) this.inf.removeIndex(name);
  }
}
