// The API server's watch cache for one resource: a decoded copy of everything
// under a storage prefix, fed by one storage watch, so LIST and WATCH from any
// number of clients never touch the store.

import type { KeyValue, Storage, WatchEvent, Watcher } from '../interface.ts';
import { StorageError, StorageErrorCode } from '../interface.ts';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { SortedKeys } from './sorted-keys.ts';
import { EventHistory, type CacheEvent } from './event-history.ts';
import { CacheWatcher, type CacheWatchHandler } from './cache-watcher.ts';
import { WatchBuckets } from './watch-buckets.ts';

export type { CacheWatchEvent, CacheWatchHandler } from './cache-watcher.ts';

export type CacheEntry<T> = { key: string; object: T; revision: number };

export type CacherOptions<T> = {
  /** Events kept for watches resuming from an older revision. Default 10,000. */
  historySize?: number;
  /** A copy of `obj` whose resourceVersion says `revision`; default sets metadata.resourceVersion. */
  withRevision?: (obj: T, revision: number) => T;
  /**
   * Resolves to a revision R such that every event up to R has reached this
   * cache's watch. The default suits in-process stores that notify watchers
   * on commit: the current revision, once pending notifications have run.
   */
  progress?: () => Promise<number>;
};

export type CacheListOptions<T> = {
  limit?: number;
  continue?: string;
  /** Serve a state at least this new; the cache only holds the latest state. */
  revision?: number;
  filter?: (obj: T) => boolean;
};

export type CacheListResult<T> = {
  items: CacheEntry<T>[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
};

/** A store outside this process that can say how far its watches have delivered (EtcdStorage). */
export type ProgressReporting = { progressRevision(): Promise<number> };

/** Cacher options suited to `storage`: its own progress check when it has one. */
export function cacherOptionsFor<T>(storage: Storage): CacherOptions<T> {
  const progress = (storage as Partial<ProgressReporting>).progressRevision;
  return typeof progress === 'function' ? { progress: () => progress.call(storage) } : {};
}

type Waiter = { revision: number; resolve: () => void; reject: (err: Error) => void; timer: NodeJS.Timeout };

export class Cacher<T> {
  /** Latest revision the cache reflects. */
  revision = 0;
  private readonly storage: Storage;
  private readonly prefix: string;
  private readonly decode: (kv: KeyValue) => T;
  private readonly withRevision: (obj: T, revision: number) => T;
  private readonly progress: () => Promise<number>;
  private readonly entries = new Map<string, CacheEntry<T>>();
  private readonly keys = new SortedKeys();
  private readonly history: EventHistory<T>;
  private readonly watchers = new WatchBuckets<CacheWatcher<T>>();
  private waiters: Waiter[] = [];
  private source: Watcher | undefined;
  private synced = false;
  private probing = false;
  private stopped = false;
  private retryDelay = 100;
  /** Revision of the last storage event applied (`revision` may run ahead of it on progress checks). */
  private applied = 0;
  private generation = 0;

  constructor(storage: Storage, prefix: string, decode: (kv: KeyValue) => T, options: CacherOptions<T> = {}) {
    this.storage = storage;
    this.prefix = prefix;
    this.decode = decode;
    this.history = new EventHistory(options.historySize ?? 10_000);
    this.withRevision = options.withRevision ?? setResourceVersion;
    this.progress = options.progress ?? (() => this.localProgress());
  }

  /** Lists the prefix and starts following it; resolves once the cache is filled. */
  async start(): Promise<void> {
    await this.sync();
  }

  stop(): void {
    this.stopped = true;
    this.source?.stop();
    for (const w of this.watchers.all()) w.fail(new StorageError(StorageErrorCode.Unavailable, w.prefix, 'watch cache stopped'));
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new StorageError(StorageErrorCode.Unavailable, this.prefix, 'watch cache stopped'));
    }
    this.waiters = [];
  }

  get(key: string): CacheEntry<T> | undefined {
    return this.entries.get(key);
  }

  /** Resolves once the cache reflects `revision`; rejects after `timeoutMs`. */
  waitForRevision(revision: number, timeoutMs: number): Promise<void> {
    if (this.synced && this.revision >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new StorageError(
            StorageErrorCode.Unavailable,
            this.prefix,
            `Too large resource version: ${revision}, current resource version: ${this.revision}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = { revision, resolve, reject, timer };
      this.waiters.push(waiter);
      void this.probe();
    });
  }

  list(prefix: string, opts: CacheListOptions<T> = {}): CacheListResult<T> {
    if (opts.revision !== undefined && opts.revision > this.revision) {
      throw new StorageError(StorageErrorCode.Unavailable, prefix, `Too large resource version: ${opts.revision}, current resource version: ${this.revision}`);
    }
    const after = opts.continue ? decodeContinue(opts.continue, prefix).lastKey : undefined;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const filter = opts.filter;
    const items: CacheEntry<T>[] = [];
    let last: string | undefined;
    let more = false;
    this.keys.scan(prefix, after, (key) => {
      const entry = this.entries.get(key)!;
      if (filter && !filter(entry.object)) return true;
      if (items.length === limit) {
        more = true;
        return false;
      }
      items.push(entry);
      last = key;
      return true;
    });
    const result: CacheListResult<T> = { items, revision: this.revision };
    if (more && last !== undefined) {
      result.continue = encodeContinue({ revision: this.revision, lastKey: last });
      if (!filter) result.remainingItemCount = this.keys.countRange(prefix, last);
    }
    return result;
  }

  /** Events under `prefix` after `afterRevision` that pass `filter`, replayed from the window, then live. */
  watch(prefix: string, afterRevision: number, filter: (obj: T) => boolean, handler: CacheWatchHandler<T>): { stop(): void } {
    const w = new CacheWatcher(prefix, afterRevision, filter, handler, this.withRevision, (x) => this.watchers.delete(x));
    if (this.stopped) {
      w.fail(new StorageError(StorageErrorCode.Unavailable, prefix, 'watch cache stopped'));
      return w;
    }
    const past = this.history.since(afterRevision);
    if (!past) {
      w.fail(tooOld(prefix, afterRevision, this.history.complete));
      return w;
    }
    for (const ev of past) w.push(ev);
    this.watchers.add(w);
    return w;
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  // ---- feeding the cache ----

  /** Lists, replaces the content, and watches from the list's revision; retries until it works. */
  private async sync(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      try {
        const listed = await this.storage.list(this.prefix);
        this.replace(listed.items, listed.revision);
        const generation = ++this.generation;
        // Callbacks of an abandoned watch must not touch the cache any more.
        this.source = this.storage.watch(this.prefix, listed.revision, {
          onEvents: (evs) => {
            if (generation === this.generation) this.apply(evs);
          },
          onError: (err) => {
            if (generation === this.generation) this.lost(err);
          },
        });
        this.retryDelay = 100;
        return;
      } catch (err) {
        // Log once per outage, not once per retry.
        if (this.retryDelay === 100) console.error(`watch cache for ${this.prefix}: list failed, retrying`, err);
        await new Promise((r) => setTimeout(r, this.retryDelay).unref());
        this.retryDelay = Math.min(this.retryDelay * 2, 5000);
      }
    }
  }

  private replace(items: KeyValue[], revision: number): void {
    this.entries.clear();
    for (const kv of items) this.entries.set(kv.key, { key: kv.key, object: this.decode(kv), revision: kv.modRevision });
    this.keys.reset([...this.entries.keys()]);
    this.history.reset(revision);
    this.revision = revision;
    this.applied = revision;
    this.synced = true;
    // Watchers that registered while the cache was out of sync saw stale history.
    const stale = new StorageError(StorageErrorCode.TooOld, this.prefix, 'watch cache resynchronised', revision);
    for (const w of this.watchers.all()) w.fail(stale);
    this.release();
  }

  /** The storage watch ended: watchers cannot be told exactly what they missed, so they must re-list. */
  private lost(err: Error): void {
    if (this.stopped) return;
    this.synced = false;
    this.generation++;
    this.source?.stop();
    this.source = undefined;
    const ended = new StorageError(StorageErrorCode.TooOld, this.prefix, `watch cache restarting: ${err.message}`, this.revision, { cause: err });
    for (const w of this.watchers.all()) w.fail(ended);
    void this.sync();
  }

  private apply(events: WatchEvent[]): void {
    for (const ev of events) {
      if (ev.revision <= this.applied) continue;
      this.applied = ev.revision;
      const prev = this.entries.get(ev.key);
      let out: CacheEvent<T>;
      if (ev.type === 'DELETED') {
        // The object as last seen, with the delete's resourceVersion, as Kubernetes sends it.
        const object = this.decode({ key: ev.key, value: ev.value, createRevision: 0, modRevision: ev.revision });
        this.entries.delete(ev.key);
        this.keys.remove(ev.key);
        out = { type: 'DELETED', key: ev.key, object, revision: ev.revision };
      } else {
        const createRevision = ev.type === 'ADDED' ? ev.revision : 0;
        const object = this.decode({ key: ev.key, value: ev.value, createRevision, modRevision: ev.revision });
        this.entries.set(ev.key, { key: ev.key, object, revision: ev.revision });
        if (!prev) this.keys.insert(ev.key);
        out = prev
          ? { type: 'MODIFIED', key: ev.key, object, prevObject: prev.object, revision: ev.revision }
          : { type: 'ADDED', key: ev.key, object, revision: ev.revision };
      }
      this.revision = Math.max(this.revision, ev.revision);
      this.history.push(out);
      this.watchers.forEachMatching(ev.key, (w) => w.push(out));
    }
    this.release();
  }

  // ---- consistent reads ----

  private release(): void {
    if (!this.synced || this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.revision <= this.revision) {
        clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }

  /** Moves `revision` forward to what the store says has been delivered, while someone waits. */
  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      while (this.waiters.length > 0 && !this.stopped) {
        const source = this.source;
        const reached = await this.progress();
        if (this.synced && source !== undefined && source === this.source && reached > this.revision) {
          this.revision = reached;
          this.release();
        }
        if (this.waiters.length > 0) await new Promise((r) => setTimeout(r, 5));
      }
    } catch (err) {
      console.error(`watch cache for ${this.prefix}: progress check failed`, err);
    } finally {
      this.probing = false;
    }
  }

  private async localProgress(): Promise<number> {
    const current = await this.storage.currentRevision();
    // Commit notifications for everything up to `current` run before the next macrotask.
    await new Promise((r) => setImmediate(r));
    return current;
  }
}

function tooOld(key: string, revision: number, oldest: number): StorageError {
  return new StorageError(
    StorageErrorCode.TooOld,
    key,
    `too old resource version: ${revision} (${oldest})`,
    oldest,
  );
}

function setResourceVersion<T>(obj: T, revision: number): T {
  if (typeof obj !== 'object' || obj === null) return obj;
  const meta = (obj as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) return obj;
  return { ...obj, metadata: { ...meta, resourceVersion: String(revision) } };
}
