// Storage on an append-only revision log in SQLite, in the spirit of kine:
// one row per write, the latest row of a key is its value, a `deleted` row
// means absent. Writes are serialized in this process and group-committed:
// the writes queued while the previous batch commits share one transaction and
// fsync, which moves to a worker thread under load (committer.ts) so the event
// loop keeps serving.

import { DatabaseSync } from 'node:sqlite';
import type {
  KeyValue,
  ListOptions,
  ListResult,
  Precondition,
  Storage,
  WatchEvent,
  WatchHandler,
  Watcher,
} from '../interface.ts';
import { StorageError, StorageErrorCode } from '../interface.ts';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { prefixEnd } from '../key-range.ts';
import { createSchema, prepareStatements, type LogInsert, type LogRow, type Statements } from './schema.ts';
import { Committer, type CommitPlace } from './committer.ts';
import { LogWatcher } from './log-watcher.ts';
import { Compactor, type CompactorOptions } from './compactor.ts';

export type SqliteStorageOptions = CompactorOptions & {
  /** 'FULL' (default) fsyncs every commit; 'NORMAL' survives a process crash but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Where commits run: on the event loop, on a worker thread, or 'auto' (default): moved to the thread under load. */
  commitPlace?: CommitPlace;
};

/** The state of a key as its latest row says; `revision` 0 means no row at all. */
type Latest = { revision: number; deleted: boolean; createRevision: number; value: string };

type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'put'; key: string; value: string; expect: number }
  | { kind: 'delete'; key: string; expect: number };

type Pending = { op: WriteOp; resolve: (kv: KeyValue) => void; reject: (err: unknown) => void };

/** A compare-and-swap lost to a write in the same or an earlier batch; guaranteedUpdate and delete retry. */
class LostRace extends Error {}
const lostRace = (key: string) => new LostRace(`concurrent write to ${key}`);

const HIGHEST = '\u{10ffff}';
const REPLAY_BATCH = 1000;
/** Live keys whose latest row is kept in memory; past this the oldest entries are dropped. */
const LATEST_CACHE_SIZE = 50_000;

export function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): SqliteStorage {
  return new SqliteStorage(path, options);
}

export class SqliteStorage implements Storage {
  private readonly db: DatabaseSync;
  private readonly st: Statements;
  private readonly compactor: Compactor;
  private readonly watchers = new Set<LogWatcher>();
  private readonly committer: Committer;
  private queue: Pending[] = [];
  private flushScheduled = false;
  /** The batch being committed; the next one is built only after it settles. */
  private committing: Promise<void> | undefined;
  private rev: number;
  private closed = false;
  // This process is the only writer, so the latest row of a live key can be
  // remembered instead of read back for every read-modify-write.
  private readonly latestCache = new Map<string, Latest>();
  // Every key that has a row, for the same reason: a key not in it has none,
  // so a create of a new name (the common case) needs no read of the log.
  private readonly keysWithRows: Set<string>;

  constructor(path: string, options: SqliteStorageOptions = {}) {
    this.db = new DatabaseSync(path);
    createSchema(this.db, options.synchronous ?? 'FULL');
    this.st = prepareStatements(this.db);
    this.keysWithRows = new Set((this.db.prepare('SELECT DISTINCT key FROM log').all() as { key: string }[]).map((r) => r.key));
    this.committer = new Committer(this.db, path, options.synchronous ?? 'FULL', options.commitPlace);
    const num = (row: Record<string, unknown> | undefined) => Number(row?.['n'] ?? 0);
    // AUTOINCREMENT's sequence and the meta table keep the counter even when
    // compaction removed the newest rows.
    this.rev = Math.max(num(this.st.maxRevision.get()), num(this.st.sequence.get()));
    this.compactor = new Compactor(this.db, this.st, () => this.rev, options);
    this.rev = Math.max(this.rev, this.compactor.compacted, this.compactor.savedRevision());
  }

  // ---- reads ----

  async get(key: string): Promise<KeyValue | undefined> {
    this.checkOpen();
    const l = this.latest(key);
    return l.revision === 0 || l.deleted ? undefined : toKeyValue(key, l);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.checkOpen();
    let revision = options.revision ?? 0;
    let after = '';
    if (options.continue) {
      const pos = decodeContinue(options.continue, prefix);
      revision = pos.revision;
      after = pos.lastKey;
    }
    if (revision === 0) revision = this.rev;
    this.checkRevision(prefix, revision);
    const end = prefixEnd(prefix) ?? HIGHEST;
    const limit = options.limit && options.limit > 0 ? options.limit : -1;
    // Ask for one more row than the page to learn whether more remain.
    const rows = this.st.listPage.all(prefix, end, after, revision, limit < 0 ? -1 : limit + 1) as LogRow[];
    const more = limit > 0 && rows.length > limit;
    if (more) rows.length = limit;
    const items = rows.map((r) => ({
      key: r.key,
      value: r.value,
      createRevision: r.create_revision,
      modRevision: r.revision,
    }));
    const result: ListResult = { items, revision };
    const last = items.at(-1);
    if (more && last) {
      result.continue = encodeContinue({ revision, lastKey: last.key });
      const left = this.st.countFrom.get(prefix, end, last.key, revision);
      result.remainingItemCount = Number(left?.['n'] ?? 0);
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    const row = this.st.countFrom.get(prefix, prefixEnd(prefix) ?? HIGHEST, '', this.rev);
    return Number(row?.['n'] ?? 0);
  }

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.rev;
  }

  compactedRevision(): number {
    return this.compactor.compacted;
  }

  // ---- writes ----

  create(key: string, value: string): Promise<KeyValue> {
    return this.enqueue({ kind: 'create', key, value });
  }

  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: KeyValue | undefined) => string | Promise<string>,
    options: { expectedModRevision?: number } = {},
  ): Promise<KeyValue> {
    for (;;) {
      this.checkOpen();
      const l = this.latest(key);
      const current = l.revision === 0 || l.deleted ? undefined : toKeyValue(key, l);
      if (options.expectedModRevision !== undefined) expectRevision(key, current, options.expectedModRevision);
      const value = await tryUpdate(current);
      if (current && value === current.value) {
        // Nothing to write, unless the key moved on while tryUpdate ran.
        if (this.latest(key).revision === l.revision) return current;
        continue;
      }
      try {
        return await this.enqueue({ kind: 'put', key, value, expect: l.revision });
      } catch (err) {
        if (err instanceof LostRace) continue;
        throw err;
      }
    }
  }

  async delete(key: string, precondition?: Precondition, options: { expectedModRevision?: number } = {}): Promise<KeyValue> {
    for (;;) {
      this.checkOpen();
      const l = this.latest(key);
      const current = l.revision === 0 || l.deleted ? undefined : toKeyValue(key, l);
      if (!current) throw new StorageError(StorageErrorCode.KeyNotFound, key, `key ${key} not found`);
      if (options.expectedModRevision !== undefined) expectRevision(key, current, options.expectedModRevision);
      precondition?.(current);
      try {
        return await this.enqueue({ kind: 'delete', key, expect: l.revision });
      } catch (err) {
        if (err instanceof LostRace) continue;
        throw err;
      }
    }
  }

  // ---- watch ----

  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watcher {
    const w = new LogWatcher(prefix, handler, (x) => this.watchers.delete(x));
    if (this.closed) {
      w.fail(new StorageError(StorageErrorCode.Unavailable, prefix, 'storage is closed'));
      return w;
    }
    const compacted = this.compactor.compacted;
    if (afterRevision + 1 < compacted) {
      w.fail(tooOld(prefix, afterRevision, compacted));
      return w;
    }
    // History and registration happen in one synchronous step, and commits
    // notify watchers synchronously, so nothing falls between replay and live.
    const end = prefixEnd(prefix) ?? HIGHEST;
    let from = Math.max(afterRevision, 0);
    for (;;) {
      const rows = this.st.history.all(from, this.rev, prefix, end, REPLAY_BATCH) as LogRow[];
      if (rows.length > 0) w.push(rows.map(toEvent));
      if (rows.length < REPLAY_BATCH) break;
      from = rows[rows.length - 1]!.revision;
    }
    this.watchers.add(w);
    return w;
  }

  // ---- maintenance ----

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    await this.compactor.compact(Math.min(revision, this.rev));
  }

  /** One run of the periodic compaction policy (also called by its timer). */
  compactNow(): Promise<void> {
    return this.compactor.tick();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Writes accepted before close are still committed and acknowledged.
    while (this.committing || this.queue.length > 0) {
      if (!this.committing) this.flush();
      await this.committing;
    }
    await this.committer.close();
    await this.compactor.stop();
    for (const w of [...this.watchers]) w.fail(new StorageError(StorageErrorCode.Unavailable, w.prefix, 'storage is closed'));
    this.db.close();
  }

  // ---- internals ----

  private latest(key: string, overlay?: Map<string, Latest>): Latest {
    const pending = overlay?.get(key);
    if (pending) return pending;
    const cached = this.latestCache.get(key);
    if (cached) return cached;
    const row = this.keysWithRows.has(key) ? (this.st.latest.get(key) as LogRow | undefined) : undefined;
    if (!row) return { revision: 0, deleted: true, createRevision: 0, value: '' };
    const l = { revision: row.revision, deleted: row.deleted !== 0, createRevision: row.create_revision, value: row.value };
    if (!l.deleted) this.remember(key, l);
    return l;
  }

  private remember(key: string, l: Latest): void {
    if (l.deleted) {
      // Compaction may remove a deleted key's rows: always ask the database.
      this.latestCache.delete(key);
      return;
    }
    if (!this.latestCache.has(key) && this.latestCache.size >= LATEST_CACHE_SIZE) {
      const oldest = this.latestCache.keys().next();
      if (!oldest.done) this.latestCache.delete(oldest.value);
    }
    this.latestCache.set(key, l);
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError(StorageErrorCode.Unavailable, '', 'storage is closed');
  }

  private checkRevision(key: string, revision: number): void {
    const compacted = this.compactor.compacted;
    if (revision < compacted) throw tooOld(key, revision, compacted);
    if (revision > this.rev) {
      throw new StorageError(StorageErrorCode.Unavailable, key, `revision ${revision} is newer than the current revision ${this.rev}`);
    }
  }

  private enqueue(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new StorageError(StorageErrorCode.Unavailable, op.key, 'storage is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Flushes after this event-loop turn, so the writes queued in it share a batch. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Commits every queued write in one transaction, then acknowledges them and
   * notifies watchers. Compare-and-swap is checked here against committed
   * state: the previous batch has settled before the next one is built.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.committing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const rows: LogInsert[] = [];
    const outcomes: (KeyValue | Error)[] = [];
    const events: WatchEvent[] = [];
    // Latest rows written by this batch; they reach the cache only once committed.
    const overlay = new Map<string, Latest>();
    for (const p of batch) outcomes.push(this.apply(p.op, rows, events, overlay));
    const acknowledge = () => {
      // Revisions become current (listable, watchable) only once committed.
      this.rev += rows.length;
      for (const [key, l] of overlay) this.remember(key, l);
      this.notify(events);
      batch.forEach((p, i) => {
        const o = outcomes[i]!;
        if (o instanceof Error) p.reject(o);
        else p.resolve(o);
      });
    };
    if (rows.length === 0) return acknowledge();
    const fail = (cause: unknown) => {
      for (const p of batch) p.reject(new StorageError(StorageErrorCode.Unavailable, p.op.key, `write failed: ${String(cause)}`, 0, { cause }));
    };
    this.committing = this.committer.commit(rows).then(acknowledge, fail).finally(() => {
      this.committing = undefined;
      // The writes that queued meanwhile form the next batch.
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  private notify(events: WatchEvent[]): void {
    if (events.length === 0) return;
    for (const w of this.watchers) {
      const mine = w.prefix === '' ? events : events.filter((e) => e.key.startsWith(w.prefix));
      if (mine.length > 0) w.push(mine);
    }
  }

  /** Adds one write's row to the batch; refusals are returned, not thrown. */
  private apply(op: WriteOp, rows: LogInsert[], events: WatchEvent[], overlay: Map<string, Latest>): KeyValue | Error {
    const l = this.latest(op.key, overlay);
    const live = l.revision !== 0 && !l.deleted;
    if (op.kind === 'create' && live) return new StorageError(StorageErrorCode.KeyExists, op.key, `key ${op.key} already exists`);
    if (op.kind !== 'create' && l.revision !== op.expect) return lostRace(op.key);
    if (op.kind === 'delete' && !live) return lostRace(op.key);
    const rev = this.rev + rows.length + 1;
    if (op.kind === 'delete') {
      rows.push([rev, op.key, 0, 1, l.createRevision, l.revision, l.value]);
      events.push({ type: 'DELETED', key: op.key, value: l.value, revision: rev });
      overlay.set(op.key, { revision: rev, deleted: true, createRevision: l.createRevision, value: l.value });
      return { key: op.key, value: l.value, createRevision: l.createRevision, modRevision: rev };
    }
    if (live) {
      rows.push([rev, op.key, 0, 0, l.createRevision, l.revision, op.value]);
      events.push({ type: 'MODIFIED', key: op.key, value: op.value, prevValue: l.value, revision: rev });
      overlay.set(op.key, { revision: rev, deleted: false, createRevision: l.createRevision, value: op.value });
      return { key: op.key, value: op.value, createRevision: l.createRevision, modRevision: rev };
    }
    rows.push([rev, op.key, 1, 0, rev, l.revision, op.value]);
    this.keysWithRows.add(op.key);
    events.push({ type: 'ADDED', key: op.key, value: op.value, revision: rev });
    overlay.set(op.key, { revision: rev, deleted: false, createRevision: rev, value: op.value });
    return { key: op.key, value: op.value, createRevision: rev, modRevision: rev };
  }
}

function expectRevision(key: string, current: KeyValue | undefined, expected: number): void {
  if (!current) throw new StorageError(StorageErrorCode.KeyNotFound, key, `key ${key} not found`);
  if (current.modRevision !== expected) {
    throw new StorageError(
      StorageErrorCode.Conflict,
      key,
      `key ${key} is at revision ${current.modRevision}, expected ${expected}`,
    );
  }
}

function tooOld(key: string, revision: number, compacted: number): StorageError {
  return new StorageError(
    StorageErrorCode.TooOld,
    key,
    `revision ${revision} has been compacted; the oldest available is ${compacted}`,
    compacted,
  );
}

function toKeyValue(key: string, l: Latest): KeyValue {
  return { key, value: l.value, createRevision: l.createRevision, modRevision: l.revision };
}

function toEvent(r: LogRow): WatchEvent {
  if (r.deleted) return { type: 'DELETED', key: r.key, value: r.value, revision: r.revision };
  if (r.created || r.prev_value === null) return { type: 'ADDED', key: r.key, value: r.value, revision: r.revision };
  return { type: 'MODIFIED', key: r.key, value: r.value, prevValue: r.prev_value, revision: r.revision };
}
