// Storage on a real etcd v3 cluster. Revisions are etcd's own, so every API
// server over one cluster hands out the same resourceVersions and a client can
// resume a watch on any of them. Writes are single transactions that compare
// the key's create/mod revision; a failed compare returns the current value in
// the same round trip, so a conflicting update retries without an extra read.

import type { KeyValue, ListOptions, ListResult, Precondition, Storage, WatchHandler, Watcher } from '../interface.ts';
import { StorageError, StorageErrorCode } from '../interface.ts';
import { decodeContinue, encodeContinue } from '../continue-token.ts';
import { EtcdClient, isTransient, toStorageError, type EtcdClientOptions, type EtcdKeyValue, type TxnRequest, type TxnResponse } from './etcd-client.ts';
import { WatchFeed } from './watch-feed.ts';
import { EtcdCompactor, type EtcdCompactorOptions } from './compactor.ts';

export type EtcdStorageOptions = EtcdClientOptions &
  EtcdCompactorOptions & {
    /** Recent watch events kept in memory for watchers starting slightly in the past. */
    watchBufferSize?: number;
  };

const NUL = Buffer.from([0]);

/** Connects and reads the compaction state; fails if no member answers within the request timeout. */
export async function openEtcdStorage(opts: EtcdStorageOptions): Promise<EtcdStorage> {
  const s = new EtcdStorage(opts);
  try {
    await s.ready();
  } catch (err) {
    await s.close();
    throw err;
  }
  return s;
}

export class EtcdStorage implements Storage {
  readonly client: EtcdClient;
  private readonly feed: WatchFeed;
  private readonly compactor: EtcdCompactor;
  private closed = false;

  constructor(opts: EtcdStorageOptions) {
    this.client = new EtcdClient(opts);
    const log = opts.log ?? ((line: string) => console.error(line));
    this.feed = new WatchFeed(this.client, { bufferSize: opts.watchBufferSize ?? 2000, log });
    this.compactor = new EtcdCompactor(this.client, opts);
  }

  async ready(): Promise<void> {
    await this.compactor.load();
  }

  // ---- reads ----

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.read(key, () => this.client.range({ key: Buffer.from(key) }));
    const kv = res.kvs[0];
    return kv ? toKeyValue(kv) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    let revision = options.revision ?? 0;
    let start = startKey(prefix);
    if (options.continue) {
      const pos = decodeContinue(options.continue, prefix);
      revision = pos.revision;
      start = Buffer.concat([Buffer.from(pos.lastKey), NUL]);
    }
    if (revision > 0 && revision < this.compactor.compacted) throw this.tooOld(prefix, revision);
    const end = rangeEnd(prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    const res = await this.read(prefix, () => this.client.range({ key: start, range_end: end, limit, revision }));
    const items = res.kvs.map(toKeyValue);
    const at = revision > 0 ? revision : res.header.revision;
    const result: ListResult = { items, revision: at };
    const last = items.at(-1);
    if (res.more && last) {
      result.continue = encodeContinue({ revision: at, lastKey: last.key });
      result.remainingItemCount = res.count - items.length;
    }
    return result;
  }

  async count(prefix: string): Promise<number> {
    const res = await this.read(prefix, () => this.client.range({ key: startKey(prefix), range_end: rangeEnd(prefix), count_only: true }));
    return res.count;
  }

  /** A linearizable read: the revision of the latest write the cluster committed. */
  async currentRevision(): Promise<number> {
    const res = await this.read('', () => this.client.range({ key: NUL, count_only: true, limit: 1 }));
    return res.header.revision;
  }

  /**
   * The current revision, once every watcher of this process has been handed
   * all events up to it: the watch cache's progress check (see Cacher).
   */
  async progressRevision(): Promise<number> {
    const revision = await this.currentRevision();
    await this.feed.reached(revision, this.client.requestTimeoutMs);
    return revision;
  }

  compactedRevision(): number {
    return this.compactor.compacted;
  }

  // ---- writes ----

  async create(key: string, value: string): Promise<KeyValue> {
    const k = Buffer.from(key);
    const { res, ambiguous } = await this.write(key, {
      compare: [{ result: 'EQUAL', target: 'CREATE', key: k, create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (res.succeeded) return created(key, value, res.header.revision);
    const cur = res.responses[0]?.response_range?.kvs[0];
    // An earlier attempt whose answer was lost may have been the one that created it.
    if (ambiguous && cur && cur.create_revision === cur.mod_revision && cur.value.toString('utf8') === value) return toKeyValue(cur);
    throw new StorageError(StorageErrorCode.KeyExists, key, `key ${key} already exists`);
  }

  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: KeyValue | undefined) => string | Promise<string>,
    options: { expectedModRevision?: number } = {},
  ): Promise<KeyValue> {
    const k = Buffer.from(key);
    let current = await this.get(key);
    for (;;) {
      this.checkOpen(key);
      if (options.expectedModRevision !== undefined) expectRevision(key, current, options.expectedModRevision);
      const value = await tryUpdate(current);
      if (current && value === current.value) return current;
      const { res, ambiguous } = await this.write(key, {
        // A missing key has mod_revision 0, so one compare covers create and update.
        compare: [{ result: 'EQUAL', target: 'MOD', key: k, mod_revision: current?.modRevision ?? 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [{ request_range: { key: k } }],
      });
      const rev = res.header.revision;
      if (res.succeeded) return current ? { key, value, createRevision: current.createRevision, modRevision: rev } : created(key, value, rev);
      const cur = res.responses[0]?.response_range?.kvs[0];
      if (ambiguous && cur && cur.value.toString('utf8') === value) return toKeyValue(cur);
      current = cur ? toKeyValue(cur) : undefined;
    }
  }

  async delete(key: string, precondition?: Precondition, options: { expectedModRevision?: number } = {}): Promise<KeyValue> {
    const k = Buffer.from(key);
    let current = await this.get(key);
    for (;;) {
      this.checkOpen(key);
      if (!current) throw new StorageError(StorageErrorCode.KeyNotFound, key, `key ${key} not found`);
      if (options.expectedModRevision !== undefined) expectRevision(key, current, options.expectedModRevision);
      precondition?.(current);
      const { res, ambiguous } = await this.write(key, {
        compare: [{ result: 'EQUAL', target: 'MOD', key: k, mod_revision: current.modRevision }],
        success: [{ request_delete_range: { key: k } }],
        failure: [{ request_range: { key: k } }],
      });
      const deleted = { key, value: current.value, createRevision: current.createRevision, modRevision: res.header.revision };
      if (res.succeeded) return deleted;
      const cur = res.responses[0]?.response_range?.kvs[0];
      // Gone after a lost answer: most likely our own delete.
      if (ambiguous && !cur) return deleted;
      current = cur ? toKeyValue(cur) : undefined;
    }
  }

  // ---- watch ----

  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watcher {
    const compacted = this.compactor.compacted;
    if (afterRevision + 1 < compacted) {
      // Fail like a live watch does: asynchronously, through the handler.
      return this.feed.add(prefix, afterRevision, handler, this.tooOld(prefix, afterRevision));
    }
    return this.feed.add(prefix, afterRevision, handler);
  }

  // ---- maintenance ----

  async compact(revision: number): Promise<void> {
    this.checkOpen('');
    await this.compactor.force(revision);
  }

  /** One run of the periodic compaction policy (also called by its timer). */
  compactNow(): Promise<void> {
    return this.compactor.tick();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.feed.stop();
    await this.compactor.stop();
    this.client.close();
  }

  // ---- internals ----

  private checkOpen(key: string): void {
    if (this.closed) throw new StorageError(StorageErrorCode.Unavailable, key, 'storage is closed');
  }

  private async read<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.checkOpen(key);
    try {
      return await fn();
    } catch (err) {
      const msg = (err as Error).message ?? '';
      if (/required revision has been compacted/.test(msg)) {
        await this.compactor.load().catch(() => {});
        throw this.tooOld(key, 0);
      }
      if (/required revision is a future revision/.test(msg)) {
        throw new StorageError(StorageErrorCode.Unavailable, key, `requested revision is newer than the current revision`, 0, { cause: err });
      }
      throw toStorageError(err, 'read');
    }
  }

  /**
   * One transaction, repeated on another member after a connection failure
   * until the request timeout. `ambiguous` says an earlier attempt may have
   * been applied without us hearing back.
   */
  private async write(key: string, req: TxnRequest): Promise<{ res: TxnResponse; ambiguous: boolean }> {
    const deadline = this.client.deadline();
    let ambiguous = false;
    for (let attempt = 0; ; attempt++) {
      this.checkOpen(key);
      try {
        return { res: await this.client.txn(req, deadline), ambiguous };
      } catch (err) {
        if (!isTransient(err) || Date.now() >= deadline - 20) {
          const e = toStorageError(err, `write of ${key}`);
          throw e instanceof StorageError ? new StorageError(e.code, key, e.message, e.revision, { cause: err }) : e;
        }
        ambiguous = true;
        await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 500)));
      }
    }
  }

  private tooOld(key: string, revision: number): StorageError {
    const compacted = this.compactor.compacted;
    return new StorageError(
      StorageErrorCode.TooOld,
      key,
      `revision ${revision} has been compacted; the oldest available is ${compacted}`,
      compacted,
    );
  }
}

/** The end of a prefix range; etcd's "\0" means "to the end of the keyspace". */
function rangeEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) {
      const end = Buffer.from(b.subarray(0, i + 1));
      end[i]!++;
      return end;
    }
  }
  return NUL;
}

/** Etcd refuses an empty key; "\0" is the smallest one. */
function startKey(prefix: string): Buffer {
  return prefix === '' ? NUL : Buffer.from(prefix);
}

function toKeyValue(kv: EtcdKeyValue): KeyValue {
  return { key: kv.key.toString('utf8'), value: kv.value.toString('utf8'), createRevision: kv.create_revision, modRevision: kv.mod_revision };
}

function created(key: string, value: string, revision: number): KeyValue {
  return { key, value, createRevision: revision, modRevision: revision };
}

function expectRevision(key: string, current: KeyValue | undefined, expected: number): void {
  if (!current) throw new StorageError(StorageErrorCode.KeyNotFound, key, `key ${key} not found`);
  if (current.modRevision !== expected) {
    throw new StorageError(StorageErrorCode.Conflict, key, `key ${key} is at revision ${current.modRevision}, expected ${expected}`);
  }
}
