// The Storage interface, modelled on Kubernetes' storage.Interface, in terms of
// serialized values. There is one global, monotonically increasing revision;
// an object's resourceVersion is the revision of its last write.

export type KeyValue = {
  key: string;
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key. */
  modRevision: number;
};

export type WatchEvent =
  | { type: 'ADDED'; key: string; value: string; revision: number }
  | { type: 'MODIFIED'; key: string; value: string; prevValue: string; revision: number }
  /** `value` is the last value the key held before the delete. */
  | { type: 'DELETED'; key: string; value: string; revision: number };

export type ListOptions = {
  /** At most this many items; 0 or absent means all. */
  limit?: number;
  /** Opaque token from a previous page; the listing continues at that page's revision. */
  continue?: string;
  /** List as of this exact revision (must still be in the window); absent means latest. */
  revision?: number;
};

export type ListResult = {
  items: KeyValue[];
  /** The revision the listing reflects. */
  revision: number;
  /** Set when more items remain. */
  continue?: string;
  /** Items remaining after this page, when known. */
  remainingItemCount?: number;
};

/** Throw from a precondition check or an update function to abort the write. */
export type Precondition = (current: KeyValue) => void;

export type Watcher = { stop(): void };

export type WatchHandler = {
  /** Events in revision order, no gap, no duplicate. Called with batches. */
  onEvents(events: WatchEvent[]): void;
  /** The watch ended with an error (e.g. StorageError 'TooOld'); no more events follow. */
  onError(err: Error): void;
};

export interface Storage {
  /** Fails with StorageError 'KeyExists' if the key exists. Returns the new revision. */
  create(key: string, value: string): Promise<KeyValue>;
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Number of keys under a prefix at the latest revision. */
  count(prefix: string): Promise<number>;
  /**
   * Reads the current value, calls `tryUpdate` and compares-and-swaps on the
   * revision read; on conflict it reads again and calls `tryUpdate` again.
   * `tryUpdate` receives undefined when the key is absent (then the write is
   * a create); it may throw to abort. Returning the same string as the
   * current value writes nothing and returns the current KeyValue.
   */
  guaranteedUpdate(
    key: string,
    tryUpdate: (current: KeyValue | undefined) => string | Promise<string>,
    options?: { expectedModRevision?: number },
  ): Promise<KeyValue>;
  /** Fails with 'KeyNotFound'; `precondition` may throw to refuse. Returns the deleted value at the delete revision. */
  delete(key: string, precondition?: Precondition, options?: { expectedModRevision?: number }): Promise<KeyValue>;
  /** Events for keys under `prefix` with revision > `afterRevision`. */
  watch(prefix: string, afterRevision: number, handler: WatchHandler): Watcher;
  /** The latest revision written. */
  currentRevision(): Promise<number>;
  /** Oldest revision still watchable/listable. */
  compactedRevision(): number;
  /** Drop history up to (excluding) `revision`. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export const StorageErrorCode = {
  KeyNotFound: 'KeyNotFound',
  KeyExists: 'KeyExists',
  Conflict: 'Conflict',
  TooOld: 'TooOld',
  InvalidContinue: 'InvalidContinue',
  Unavailable: 'Unavailable',
} as const;
export type StorageErrorCode = (typeof StorageErrorCode)[keyof typeof StorageErrorCode];

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string;
  /** For TooOld: the oldest revision still available. */
  readonly revision: number;
  constructor(code: StorageErrorCode, key: string, message: string, revision = 0, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
    this.key = key;
    this.revision = revision;
  }
}

export const isStorageError = (e: unknown, code?: StorageErrorCode): e is StorageError =>
  e instanceof StorageError && (code === undefined || e.code === code);
