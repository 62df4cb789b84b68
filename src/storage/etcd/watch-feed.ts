// One etcd watch over the whole keyspace, shared by every storage watcher of
// this process. Sharing it makes progress checks exact: every revision is some
// write, so once the feed has received revision R, every watcher has been
// handed all its events up to R. Recent events are buffered so that a watcher
// starting a little in the past (a cacher right after its list) replays
// locally; an older start restarts the feed from there.

import type { WatchEvent, WatchHandler, Watcher } from '../interface.ts';
import { StorageError, StorageErrorCode } from '../interface.ts';
import { LogWatcher } from '../sqlite/log-watcher.ts';
import type { EtcdClient, EtcdEvent, WatchResponse, WatchStream } from './etcd-client.ts';

export type WatchFeedOptions = { bufferSize?: number; log?: (line: string) => void };

type FeedWatcher = { prefix: string; last: number; sink: LogWatcher };
type ProgressWaiter = { revision: number; resolve: () => void; reject: (err: Error) => void; timer: NodeJS.Timeout };

const ALL_KEYS = Buffer.from([0]);

export class WatchFeed {
  private readonly client: EtcdClient;
  private readonly bufferSize: number;
  private readonly log: (line: string) => void;
  private readonly watchers = new Set<FeedWatcher>();
  private buffer: WatchEvent[] = [];
  /** The buffer holds every event with floor < revision <= position. */
  private floor = 0;
  /** Every event up to here has been received on the current stream. */
  private position = 0;
  private stream: WatchStream | undefined;
  private active = false;
  private stopped = false;
  private retryDelay = 100;
  private retryTimer: NodeJS.Timeout | undefined;
  private waiters: ProgressWaiter[] = [];

  constructor(client: EtcdClient, opts: WatchFeedOptions = {}) {
    this.client = client;
    this.bufferSize = opts.bufferSize ?? 2000;
    this.log = opts.log ?? ((line) => console.error(line));
  }

  /** Events under `prefix` after `after`: from the buffer when it reaches back that far, else from etcd. */
  add(prefix: string, after: number, handler: WatchHandler, failWith?: Error): Watcher {
    const fw: FeedWatcher = { prefix, last: after, sink: undefined as unknown as LogWatcher };
    fw.sink = new LogWatcher(prefix, handler, () => this.remove(fw));
    if (this.stopped || failWith) {
      fw.sink.fail(failWith ?? new StorageError(StorageErrorCode.Unavailable, prefix, 'storage is closed'));
      return fw.sink;
    }
    this.watchers.add(fw);
    if (!this.active) {
      this.restart(after);
    } else if (after >= this.floor) {
      const past = this.buffer.filter((e) => e.revision > after && e.key.startsWith(prefix));
      if (past.length > 0) fw.sink.push(past);
      fw.last = Math.max(after, this.position);
    } else {
      this.restart(after);
    }
    return fw.sink;
  }

  /**
   * Resolves once every event up to `revision` has been handed to the watchers.
   * Rejects after `timeoutMs` (the feed may be reconnecting).
   */
  reached(revision: number, timeoutMs: number): Promise<void> {
    if (!this.active || this.position >= revision) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new StorageError(StorageErrorCode.Unavailable, '', `etcd watch has not reached revision ${revision} (at ${this.position})`));
      }, timeoutMs);
      const waiter: ProgressWaiter = { revision, resolve, reject, timer };
      this.waiters.push(waiter);
    });
  }

  stop(): void {
    this.stopped = true;
    this.active = false;
    this.closeStream();
    const err = new StorageError(StorageErrorCode.Unavailable, '', 'storage is closed');
    for (const fw of [...this.watchers]) fw.sink.fail(err);
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  // ---- the stream ----

  private remove(fw: FeedWatcher): void {
    this.watchers.delete(fw);
    if (this.watchers.size === 0 && this.active) {
      // Nobody listens: stop paying for the stream.
      this.active = false;
      this.closeStream();
      this.buffer = [];
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.resolve();
      }
      this.waiters = [];
    }
  }

  /** Forgets the buffer and streams again from `from + 1`; watchers skip what they already have. */
  private restart(from: number): void {
    this.closeStream();
    this.active = true;
    this.buffer = [];
    this.floor = from;
    this.position = from;
    this.open();
  }

  private open(): void {
    if (!this.active || this.stopped) return;
    const { stream, endpoint } = this.client.openWatch();
    this.stream = stream;
    const broken = (why: string) => {
      if (this.stream !== stream) return;
      this.closeStream();
      this.client.failed(endpoint);
      this.reconnect(`${endpoint}: ${why}`);
    };
    stream.on('data', (res: WatchResponse) => {
      if (this.stream !== stream) return;
      if (res.canceled) {
        if (res.compact_revision > 0) this.compacted(res.compact_revision);
        else broken(`watch canceled: ${res.cancel_reason || 'no reason given'}`);
        return;
      }
      if (res.created) this.retryDelay = 100;
      if (res.events.length > 0) this.deliver(res.events);
    });
    stream.on('error', (err: Error) => broken(err.message));
    stream.on('end', () => broken('stream ended'));
    stream.write({ create_request: { key: ALL_KEYS, range_end: ALL_KEYS, start_revision: this.position + 1, prev_kv: true } });
  }

  private reconnect(why: string): void {
    if (!this.active || this.stopped || this.retryTimer) return;
    if (this.retryDelay === 100) this.log(`etcd watch lost (${why}); reconnecting from revision ${this.position + 1}`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 2000);
  }

  private closeStream(): void {
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
    }
    const s = this.stream;
    this.stream = undefined;
    if (s) {
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.cancel();
    }
  }

  /** Etcd no longer has the revisions some watchers need: they end with TooOld, the rest go on. */
  private compacted(compactRevision: number): void {
    const err = (fw: FeedWatcher) =>
      new StorageError(
        StorageErrorCode.TooOld,
        fw.prefix,
        `revision ${fw.last} has been compacted; the oldest available is ${compactRevision}`,
        compactRevision,
      );
    for (const fw of [...this.watchers]) if (fw.last + 1 < compactRevision) fw.sink.fail(err(fw));
    if (this.watchers.size === 0) return;
    this.restart(Math.min(...[...this.watchers].map((fw) => fw.last)));
  }

  private deliver(raw: EtcdEvent[]): void {
    const events: WatchEvent[] = [];
    for (const e of raw) {
      const ev = toWatchEvent(e);
      if (ev && ev.revision > this.position) events.push(ev);
    }
    if (events.length === 0) return;
    this.position = events[events.length - 1]!.revision;
    for (const ev of events) this.buffer.push(ev);
    if (this.buffer.length > this.bufferSize) {
      const drop = this.buffer.length - this.bufferSize;
      this.floor = this.buffer[drop - 1]!.revision;
      this.buffer = this.buffer.slice(drop);
    }
    for (const fw of this.watchers) {
      const mine = events.filter((e) => e.revision > fw.last && e.key.startsWith(fw.prefix));
      fw.last = Math.max(fw.last, this.position);
      if (mine.length > 0) fw.sink.push(mine);
    }
    if (this.waiters.length > 0) {
      const done = this.waiters.filter((w) => w.revision <= this.position);
      this.waiters = this.waiters.filter((w) => w.revision > this.position);
      // After the watchers' own deliveries (queued as microtasks) have run.
      if (done.length > 0) {
        setImmediate(() => {
          for (const w of done) {
            clearTimeout(w.timer);
            w.resolve();
          }
        });
      }
    }
  }
}

function toWatchEvent(e: EtcdEvent): WatchEvent | undefined {
  const kv = e.kv;
  if (!kv) return undefined;
  const key = kv.key.toString('utf8');
  if (e.type === 'DELETE') {
    return { type: 'DELETED', key, value: e.prev_kv ? e.prev_kv.value.toString('utf8') : '', revision: kv.mod_revision };
  }
  if (kv.version === 1 || !e.prev_kv) return { type: 'ADDED', key, value: kv.value.toString('utf8'), revision: kv.mod_revision };
  return {
    type: 'MODIFIED',
    key,
    value: kv.value.toString('utf8'),
    prevValue: e.prev_kv.value.toString('utf8'),
    revision: kv.mod_revision,
  };
}
