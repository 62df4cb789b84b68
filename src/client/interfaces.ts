// The contract of src/client: how every component (scheduler, controllers,
// kubelet, proxy) talks to the API server. Implementations live beside this file.

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import type { Clock } from '../machinery/clock.ts';

export type ListOptions = {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
};

export type ObjectList<T extends KubeObject = KubeObject> = {
  apiVersion: string;
  kind: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
};

export type WatchOptions = {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  /** Decode events without metadata.managedFields (a client-side choice, not sent to the server). */
  withoutManagedFields?: boolean;
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
export type ClientWatchEvent<T extends KubeObject = KubeObject> = { type: WatchEventType; object: T };

export type WriteOptions = { dryRun?: boolean; fieldManager?: string; subresource?: string };
/**
 * A write whose answer is not decoded: for writers that only need to know it
 * succeeded (a kubelet's pod status writes). The promise resolves with nothing.
 */
export type DiscardResult = { discardResult: true };
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
export type DeleteOptions = {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
};

/**
 * Typed REST access to one API server. Errors are StatusErrors
 * (src/machinery/status.ts) rebuilt from the server's Status.
 * `r` is a ResourceInfo from src/api/scheme.ts (use resourceFor/resourceForKind).
 */
export interface Client {
  readonly server: string;
  get<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, name: string, opts?: { subresource?: string }): Promise<T>;
  list<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, opts?: ListOptions): Promise<ObjectList<T>>;
  create<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts: WriteOptions & DiscardResult): Promise<void>;
  create<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  update<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  /** `opts.force` only for apply. */
  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & DiscardResult): Promise<void>;
  patch<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { force?: boolean },
  ): Promise<T>;
  delete(r: ResourceInfo, namespace: string | undefined, name: string, opts?: DeleteOptions): Promise<void>;
  /** POST to a subresource such as pods/binding or pods/eviction; returns the decoded answer. */
  postSubresource(r: ResourceInfo, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown>;
  /** A streaming watch; `onClose` is called once when it ends for any reason (then the caller re-watches or re-lists). */
  watch<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    opts: WatchOptions,
    onEvent: (ev: ClientWatchEvent<T>) => void,
    onClose: (err?: Error) => void,
  ): { stop(): void };
}

export type EventHandlers<T extends KubeObject> = {
  onAdd?(obj: T): void;
  onUpdate?(oldObj: T, newObj: T): void;
  /** For a delete missed while disconnected, the last known state. */
  onDelete?(obj: T): void;
};

/** Read-only view of an informer's cache. Objects are shared: never mutate them. */
export interface Lister<T extends KubeObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(namespace?: string, labelSelector?: string): T[];
  byIndex(index: string, value: string): T[];
}

/** List-then-watch of one resource, kept in a local cache, with handlers. */
export interface Informer<T extends KubeObject> {
  readonly lister: Lister<T>;
  addEventHandler(h: EventHandlers<T>): void;
  /** Index functions must be added before start. */
  addIndex(name: string, fn: (obj: T) => string[]): void;
  hasSynced(): boolean;
  /** Resolves once the initial list is in the cache. */
  waitForSync(): Promise<void>;
}

/** One informer per resource (and namespace/selector) per process. */
export interface SharedInformerFactory {
  informerFor<T extends KubeObject>(r: ResourceInfo, opts?: { namespace?: string; labelSelector?: string; fieldSelector?: string }): Informer<T>;
  start(): void;
  waitForSync(): Promise<void>;
  stop(): void;
}

/** Rate-limited work queue of keys: dedup, a processing set, per-item back-off. */
export interface WorkQueue<K = string> {
  add(key: K): void;
  addAfter(key: K, delayMs: number): void;
  /** Re-add with the item's exponential back-off. */
  addRateLimited(key: K): void;
  /** Reset the item's back-off after success. */
  forget(key: K): void;
  /** Next key, or undefined once shut down and drained. */
  get(): Promise<K | undefined>;
  done(key: K): void;
  len(): number;
  shutDown(): void;
}

/** Records Events (core/v1) about an object, with this component as source. */
export interface EventRecorder {
  event(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export type ComponentContext = {
  client: Client;
  informers: SharedInformerFactory;
  clock: Clock;
  recorder: (component: string, host?: string) => EventRecorder;
  log: (line: string) => void;
};
