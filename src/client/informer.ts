// A shared informer: a reflector filling an indexer, and handlers told of
// each change. A re-list after a gap is diffed against the cache, so deletes
// missed while disconnected still reach onDelete (with the last known state).
//
// Cached objects carry no metadata.managedFields, as in kube-scheduler and
// kube-controller-manager (their informers' transform trims them): no
// component reads them, they are most of a small object's parsed nodes, and
// an update sent without them keeps the stored ones.

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import type { Clock } from '../machinery/clock.ts';
import type { Client, EventHandlers, Informer, Lister } from './interfaces.ts';
import { Indexer } from './indexer.ts';
import { objectKey } from './keys.ts';
import { IndexerLister } from './lister.ts';
import { Reflector, type ReflectorSink } from './reflector.ts';

export type SharedInformerOptions = {
  client: Client;
  resource: ResourceInfo;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  log?: (line: string) => void;
};

export class SharedInformer<T extends KubeObject> implements Informer<T> {
  readonly lister: Lister<T>;
  readonly resource: ResourceInfo;
  private readonly indexer = new Indexer<T>();
  // Replaced, never mutated, so a handler removed while events are told is not skipped past.
  private handlers: EventHandlers<T>[] = [];
  private readonly reflector: Reflector<T>;
  private readonly log: (line: string) => void;
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(opts: SharedInformerOptions) {
    this.resource = opts.resource;
    this.lister = new IndexerLister(this.indexer);
    this.log = opts.log ?? ((line) => console.error(line));
    const sink: ReflectorSink<T> = {
      replace: (items) => this.replace(items),
      added: (obj) => this.upsert(withoutManagedFields(obj)),
      modified: (obj) => this.upsert(withoutManagedFields(obj)),
      deleted: (obj) => this.remove(withoutManagedFields(obj)),
    };
    this.reflector = new Reflector<T>({
      client: opts.client,
      resource: opts.resource,
      sink,
      // Not even decoded from watch events: a third of a pod's text.
      withoutManagedFields: true,
      log: this.log,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.labelSelector ? { labelSelector: opts.labelSelector } : {}),
      ...(opts.fieldSelector ? { fieldSelector: opts.fieldSelector } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  }

  /** A handler added late first hears of every object already cached, as adds. */
  addEventHandler(h: EventHandlers<T>): void {
    this.handlers = [...this.handlers, h];
    if (!h.onAdd) return;
    for (const obj of this.indexer.values()) {
      try {
        h.onAdd(obj);
      } catch (err) {
        this.failed(err);
      }
    }
  }

  removeEventHandler(h: EventHandlers<T>): void {
    this.handlers = this.handlers.filter((x) => x !== h);
  }

  /**
   * An index added after start is built from what is cached: events are told
   * on this one thread, so no change can slip in between.
   */
  addIndex(name: string, fn: (obj: T) => string[]): void {
    this.indexer.addIndex(name, fn);
  }

  removeIndex(name: string): void {
    this.indexer.removeIndex(name);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get lastResourceVersion(): string {
    return this.reflector.lastResourceVersion;
  }

  /** How many lists the reflector made (the first one and every re-list). */
  get lists(): number {
    return this.reflector.lists;
  }

  run(): void {
    this.reflector.start();
  }

  stop(): void {
    this.reflector.stop();
  }

  private replace(items: T[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      seen.add(objectKey(obj));
      this.upsert(withoutManagedFields(obj));
    }
    for (const key of [...this.indexer.keys()]) {
      if (seen.has(key)) continue;
      this.notifyDelete(this.indexer.delete(key)!);
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private upsert(obj: T): void {
    const old = this.indexer.set(obj);
    if (!old) this.notifyAdd(obj);
    // A re-list brings back unchanged objects: nothing to tell.
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notifyUpdate(old, obj);
  }

  private remove(obj: T): void {
    this.indexer.delete(objectKey(obj));
    this.notifyDelete(obj);
  }

  // One loop per kind of change, with no closure per handler: these run for every event of every watch.
  private notifyAdd(obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onAdd?.(obj);
      } catch (err) {
        this.failed(err);
      }
    }
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onUpdate?.(old, obj);
      } catch (err) {
        this.failed(err);
      }
    }
  }

  private notifyDelete(obj: T): void {
    for (const h of this.handlers) {
      try {
        h.onDelete?.(obj);
      } catch (err) {
        this.failed(err);
      }
    }
  }

  private failed(err: unknown): void {
    this.log(`informer for ${this.resource.resource}: event handler failed: ${(err as Error)?.stack ?? String(err)}`);
  }
}

/** Drops managedFields from a freshly decoded object (the informer's own, so changed in place). */
function withoutManagedFields<T extends KubeObject>(obj: T): T {
  if (obj.metadata?.managedFields !== undefined) delete obj.metadata.managedFields;
  return obj;
}
