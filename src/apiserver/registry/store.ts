// The generic registry of one resource: Kubernetes' object semantics (uid,
// creationTimestamp, generateName, resourceVersion, generation, status
// subresource, finalizers, graceful deletion) over the Storage interface,
// with reads served from the watch cache.

import { randomUUID } from 'node:crypto';
import { groupKindKey, type KubeObject } from '../../api/meta.ts';
import { storageKey, storagePrefixFor, type ResourceInfo } from '../../api/scheme.ts';
import { applyDefaults } from '../../api/defaults.ts';
import { validateObject } from '../../api/validation.ts';
import { generateNameSuffix } from '../../machinery/names.ts';
import { rfc3339, type Clock } from '../../machinery/clock.ts';
import { deepEqual } from '../../machinery/deep-equal.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  isStatusError,
  modifiedMessage,
  notFound,
  serviceUnavailable,
  expired,
  fieldInvalid,
  type FieldError,
} from '../../machinery/status.ts';
import { isStorageError, type KeyValue, type Storage } from '../../storage/interface.ts';
import { Cacher } from '../../storage/cacher/cacher.ts';
import type { Strategy, WriteContext } from './strategy.ts';
import { encodeStored, takeWrite, writeDone, writeStarting, type StoredJson } from './stored-json.ts';
import { rememberStored } from '../serialize.ts';

export type DeleteOptions = {
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  dryRun?: boolean;
};

/** `apply`: managedFields were already computed by server-side apply. */
export type WriteOptions = { dryRun: boolean; fieldManager: string; subresource?: string; apply?: boolean };

export type Mutator = (current: KubeObject) => KubeObject | Promise<KubeObject>;
/**
 * How an update makes the desired object: a Mutator changes a private copy of
 * the current object; `derive` only reads the current object (it may be the
 * watch cache's) and returns a new one, as patches do; `replace` does not need
 * it (a PUT) and gives a new object each call. Sparing the copy matters: it is
 * a parse of the whole stored object per write.
 */
export type Desired = Mutator | { derive: Mutator } | { replace: () => KubeObject };

export class ResourceStore {
  readonly info: ResourceInfo;
  readonly storage: Storage;
  readonly cache: Cacher<KubeObject>;
  readonly strategy: Strategy;
  private readonly clock: Clock;
  private readonly ctx: WriteContext;

  constructor(info: ResourceInfo, storage: Storage, cache: Cacher<KubeObject>, strategy: Strategy, clock: Clock, ctx: WriteContext) {
    this.info = info;
    this.storage = storage;
    this.cache = cache;
    this.strategy = strategy;
    this.clock = clock;
    this.ctx = ctx;
  }

  get groupKind(): string {
    return groupKindKey(this.info.group, this.info.kind);
  }

  key(namespace: string | undefined, name: string): string {
    return storageKey(this.info, namespace, name);
  }

  prefix(namespace: string | undefined): string {
    return storagePrefixFor(this.info, namespace);
  }

  /** A consistent read of one object from the store. */
  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.wrap(name, () => this.storage.get(this.key(namespace, name)));
    if (!kv) throw notFound(this.info, name);
    return parseStored(kv);
  }

  async create(obj: KubeObject, namespace: string | undefined, opts: WriteOptions): Promise<KubeObject> {
    const meta = obj.metadata;
    if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    if (this.info.namespaced && namespace) meta.namespace = namespace;
    else delete meta.namespace;
    const now = this.clock.now();
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(now);
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (this.strategy.generation) meta.generation = 1;
    else delete meta.generation;
    const generated = !meta.name && Boolean(meta.generateName);
    if (generated) meta.name = `${meta.generateName}${generateNameSuffix()}`;
    applyDefaults(this.groupKind, obj);
    await this.strategy.prepareForCreate?.(obj, this.ctx);
    if (!meta.name && !meta.generateName) {
      this.throwInvalid(obj, [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
    }
    this.validate(obj, undefined);
    await this.ctx.admitCreate(this.info, obj);
    this.ctx.trackFields(this.info, undefined, obj, opts);
    for (let attempt = 0; ; attempt++) {
      if (generated && attempt > 0) meta.name = `${meta.generateName}${generateNameSuffix()}`;
      const name = meta.name!;
      if (opts.dryRun) {
        const existing = await this.storage.get(this.key(meta.namespace, name));
        if (existing) throw alreadyExists(this.info, name);
        return obj;
      }
      const key = this.key(meta.namespace, name);
      const stored = encodeStored(obj);
      writeStarting(key, stored, obj);
      try {
        const kv = await this.storage.create(key, stored.text);
        // The stored text is exactly `obj` without its resourceVersion: no need to parse it back.
        meta.resourceVersion = String(kv.modRevision);
        rememberWritten(obj, stored);
        await this.strategy.afterCreate?.(obj, this.ctx);
        return obj;
      } catch (e) {
        if (isStorageError(e, 'KeyExists')) {
          if (generated && attempt < 8) continue;
          throw alreadyExists(this.info, name);
        }
        throw this.translate(e, name);
      } finally {
        writeDone(key, stored);
      }
    }
  }

  /**
   * Read-modify-write of one object. `desired` makes the desired object from
   * the current one; it runs again if the object changed meanwhile, unless the
   * desired object pins a resourceVersion.
   */
  async update(
    namespace: string | undefined,
    name: string,
    desiredOf: Desired,
    opts: WriteOptions & { createIfMissing?: () => KubeObject | Promise<KubeObject> },
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < 8; attempt++) {
      let result: KubeObject | undefined;
      let stored: StoredJson | undefined;
      let deleteAfter = false;
      try {
        const kv = await this.storage.guaranteedUpdate(key, async (current) => {
          deleteAfter = false;
          if (!current) throw new Missing();
          // `old` is only read, so the watch cache's object serves when it is this very version.
          const old = this.cachedAt(key, current.modRevision) ?? parseStored(current);
          const desired = await (typeof desiredOf === 'function'
            ? desiredOf(parseStored(current)) // a parse is a cheaper deep copy than structuredClone
            : 'derive' in desiredOf
              ? desiredOf.derive(old)
              : desiredOf.replace());
          const next = await this.prepareUpdate(desired, old, name, opts);
          // Removing the last finalizer of an object being deleted completes the delete,
          // unless a grace period is still running (a pod's kubelet deletes it at the end).
          deleteAfter =
            Boolean(old.metadata.deletionTimestamp) &&
            (old.metadata.deletionGracePeriodSeconds ?? 0) === 0 &&
            (next.metadata.finalizers ?? []).length === 0 &&
            !this.strategy.deleteMarksOnly?.(next);
          result = next;
          if (opts.dryRun) throw new DryRunDone();
          stored = encodeStored(next);
          writeStarting(key, stored, next);
          return stored.text;
        });
        if (deleteAfter) return { object: await this.finishDelete(key, parseStored(kv), name), created: false };
        // What was written is the last `result`, or (a no-op) the same content as before.
        if (result === undefined || stored === undefined) return { object: parseStored(kv), created: false };
        withRevision(result, kv);
        rememberWritten(result, stored);
        return { object: result, created: false };
      } catch (e) {
        if (e instanceof DryRunDone) return { object: result!, created: false };
        if (!(e instanceof Missing)) throw this.translate(e, name);
      } finally {
        writeDone(key, stored);
      }
      if (!opts.createIfMissing) throw notFound(this.info, name);
      const fresh = await opts.createIfMissing();
      fresh.metadata.name = name;
      try {
        return { object: await this.create(fresh, namespace, opts), created: true };
      } catch (e) {
        if (!(isStatusError(e) && e.reason === 'AlreadyExists')) throw e;
      }
    }
    throw conflict(this.info, name, modifiedMessage);
  }

  /** A server-internal write (binding, finalize) that skips the update strategy and validation. */
  async rawUpdate(namespace: string | undefined, name: string, mutate: (obj: KubeObject) => KubeObject): Promise<KubeObject> {
    try {
      const kv = await this.storage.guaranteedUpdate(this.key(namespace, name), (current) => {
        if (!current) throw notFound(this.info, name);
        const next = mutate(parseStored(current));
        delete next.metadata.resourceVersion;
        return encodeObject(next);
      });
      return parseStored(kv);
    } catch (e) {
      throw this.translate(e, name);
    }
  }

  /** The watch cache's object for `key` if it is at exactly `revision`: shared, so only ever read. */
  private cachedAt(key: string, revision: number): KubeObject | undefined {
    const entry = this.cache.get(key);
    return entry !== undefined && entry.revision === revision ? entry.object : undefined;
  }

  private async prepareUpdate(desired: KubeObject, old: KubeObject, name: string, opts: WriteOptions): Promise<KubeObject> {
    const meta = desired.metadata;
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    if (meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(this.info, name, modifiedMessage);
    }
    meta.name = name;
    if (this.info.namespaced) meta.namespace = old.metadata.namespace!;
    // A uid sent with the object must be its own (a kubelet's status patch carries
    // the pod's uid so that it never lands on a new pod of the same name); none keeps it.
    if (meta.uid && meta.uid !== old.metadata.uid) this.throwInvalid(old, [fieldInvalid('metadata.uid', meta.uid, 'field is immutable')]);
    // Fields the server owns.
    meta.uid = old.metadata.uid!;
    meta.creationTimestamp = old.metadata.creationTimestamp!;
    if (old.metadata.deletionTimestamp) {
      meta.deletionTimestamp = old.metadata.deletionTimestamp;
      if (old.metadata.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
    const hasStatus = this.info.subresources.includes('status');
    if (opts.subresource === 'status') {
      // The status subresource writes status only (and nothing of metadata but what Kubernetes allows).
      // `old` is only read (it may be the watch cache's object): the merged object shares its
      // spec and the values inside its metadata instead of cloning them. Nothing changes them
      // from here on, only metadata's own keys (resourceVersion is removed, managedFields
      // replaced), so a shallow copy of metadata keeps `old` intact.
      const merged: KubeObject = { ...old, metadata: { ...old.metadata }, status: desired.status };
      if (desired.status === undefined) delete merged.status;
      return this.finishUpdate(merged, old, opts);
    }
    if (hasStatus) {
      if (old.status === undefined) delete desired.status;
      else desired.status = structuredClone(old.status);
    }
    applyDefaults(this.groupKind, desired);
    if (this.strategy.generation) {
      meta.generation = (old.metadata.generation ?? 1) + (specChanged(desired, old) ? 1 : 0);
    } else {
      delete meta.generation;
    }
    await this.strategy.prepareForUpdate?.(desired, old, this.ctx);
    return this.finishUpdate(desired, old, opts);
  }

  private finishUpdate(next: KubeObject, old: KubeObject, opts: WriteOptions): KubeObject {
    delete next.metadata.resourceVersion;
    this.validate(next, old);
    this.ctx.trackFields(this.info, old, next, opts);
    return next;
  }

  /** Deletes or, with finalizers or a grace period, marks for deletion. */
  async delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < 16; attempt++) {
      const kv = await this.wrap(name, () => this.storage.get(key));
      if (!kv) throw notFound(this.info, name);
      const current = parseStored(kv);
      checkPreconditions(this.info, name, current, options.preconditions);
      const grace = this.strategy.gracePeriod?.(current, options);
      const finalizers = finalizersForPropagation(current.metadata.finalizers ?? [], options.propagationPolicy);
      const finalizersChanged = !sameMembers(finalizers, current.metadata.finalizers ?? []);
      const graceful = grace !== undefined && grace > 0;
      if (finalizers.length === 0 && !graceful && !this.strategy.deleteMarksOnly?.(current)) {
        if (options.dryRun) return { object: current, deleted: true };
        try {
          const deleted = await this.storage.delete(key, undefined, { expectedModRevision: kv.modRevision });
          const obj = parseStored(deleted);
          await this.strategy.afterDelete?.(obj, this.ctx);
          return { object: obj, deleted: true };
        } catch (e) {
          if (isStorageError(e, 'Conflict')) continue;
          throw this.translate(e, name);
        }
      }
      // Mark: deletionTimestamp now (or now + grace), keep the object until finalizers and the kubelet are done.
      const marked = structuredClone(current);
      const now = this.clock.now();
      const existingDeadline = marked.metadata.deletionTimestamp ? Date.parse(marked.metadata.deletionTimestamp) : Infinity;
      const deadline = now + (graceful ? grace * 1000 : 0);
      if (deadline < existingDeadline) {
        marked.metadata.deletionTimestamp = rfc3339(deadline);
        marked.metadata.deletionGracePeriodSeconds = graceful ? grace : 0;
      } else if (current.metadata.deletionTimestamp && !finalizersChanged) {
        return { object: current, deleted: false };
      }
      if (finalizers.length > 0) marked.metadata.finalizers = finalizers;
      else delete marked.metadata.finalizers;
      this.strategy.prepareForDelete?.(marked);
      if (options.dryRun) return { object: marked, deleted: false };
      try {
        delete marked.metadata.resourceVersion;
        const written = await this.storage.guaranteedUpdate(key, () => encodeObject(marked), { expectedModRevision: kv.modRevision });
        return { object: parseStored(written), deleted: false };
      } catch (e) {
        if (isStorageError(e, 'Conflict')) continue;
        throw this.translate(e, name);
      }
    }
    throw conflict(this.info, name, modifiedMessage);
  }

  private async finishDelete(key: string, obj: KubeObject, name: string): Promise<KubeObject> {
    try {
      const deleted = await this.storage.delete(key, undefined, { expectedModRevision: Number(obj.metadata.resourceVersion) });
      const out = parseStored(deleted);
      await this.strategy.afterDelete?.(out, this.ctx);
      return out;
    } catch (e) {
      if (isStorageError(e, 'KeyNotFound') || isStorageError(e, 'Conflict')) return obj;
      throw this.translate(e, name);
    }
  }

  validate(obj: KubeObject, old: KubeObject | undefined): void {
    const errors = validateObject(this.groupKind, obj, old);
    if (errors.length > 0) this.throwInvalid(obj, errors);
  }

  throwInvalid(obj: KubeObject, errors: FieldError[]): never {
    throw invalid({ group: this.info.group, kind: this.info.kind }, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
  }

  private async wrap<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.translate(e, name);
    }
  }

  /** Storage errors become Status errors, once, here. */
  translate(e: unknown, name: string): Error {
    if (isStatusError(e)) return e;
    if (isStorageError(e)) {
      switch (e.code) {
        case 'KeyNotFound':
          return notFound(this.info, name);
        case 'KeyExists':
          return alreadyExists(this.info, name);
        case 'Conflict':
          return conflict(this.info, name, modifiedMessage);
        case 'TooOld':
          return expired(`too old resource version: ${e.message}`);
        case 'InvalidContinue':
          return badRequest(`invalid continue token: ${e.message}`);
        case 'Unavailable':
          return serviceUnavailable(`storage is unavailable: ${e.message}`, e);
      }
    }
    return internalError((e as Error)?.message ?? String(e), e);
  }
}

/**
 * The garbage collector's finalizers as a delete asks for them: Orphan adds `orphan`,
 * Foreground adds `foregroundDeletion`, Background removes both; no policy keeps what is there.
 */
export function finalizersForPropagation(current: readonly string[], policy: DeleteOptions['propagationPolicy']): string[] {
  if (policy === undefined) return [...current];
  const kept = current.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (policy === 'Orphan') kept.push('orphan');
  if (policy === 'Foreground') kept.push('foregroundDeletion');
  return kept;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

class Missing extends Error {}
class DryRunDone extends Error {}

function checkPreconditions(info: ResourceInfo, name: string, obj: KubeObject, pre: DeleteOptions['preconditions']): void {
  if (!pre) return;
  if (pre.uid && pre.uid !== obj.metadata.uid) {
    throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      info,
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
}

/** Everything but metadata and status counts as spec for `generation`. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { metadata: _m, status: _s, ...rest } = o;
    return rest;
  };
  return !deepEqual(strip(a), strip(b));
}


export function encodeObject(obj: KubeObject): string {
  return encodeStored(obj).text;
}

/** A private copy of a stored object, free to change. */
export function parseStored(kv: KeyValue): KubeObject {
  return withRevision(JSON.parse(kv.value) as KubeObject, kv);
}

function withRevision(obj: KubeObject, kv: KeyValue): KubeObject {
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

/** The object a write returns is sent as it was written: its JSON is the stored text with its resourceVersion. */
function rememberWritten(obj: KubeObject, stored: StoredJson): void {
  rememberStored(obj, stored, obj.metadata.resourceVersion!);
}

/**
 * The watch cache's decode: an immutable object shared by every reader. When
 * this process has just written that very text, the cache takes the writer's
 * object rather than parsing the text back, and its JSON for watchers: no
 * second parse, no second serialization. Both are the same content (a key
 * holding undefined, which the JSON leaves out, counts as absent everywhere
 * objects are read); the writer only sets the same resourceVersion on it
 * afterwards, and nothing changes it from then on.
 */
export function decodeObject(kv: KeyValue): KubeObject {
  const written = takeWrite(kv.key, kv.value);
  if (written === undefined) return parseStored(kv);
  const obj = withRevision(written.object, kv);
  rememberStored(obj, written.stored, obj.metadata.resourceVersion!);
  return obj;
}
