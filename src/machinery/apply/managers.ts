// metadata.managedFields decoded into one field set per manager, and back.

import type { ManagedFieldsEntry } from '../../api/meta.ts';
import { emptySet, filterInPlace, filterSet, fromFieldsV1, insertPath, isEmpty, overlaps, stripInPlace, toFieldsV1, union, type FieldPath, type FieldSet } from './field-set.ts';
import { isCanonicalFieldsV1, overlapsFieldsV1, type FieldsV1 } from './fields-v1.ts';

export type Manager = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
  /** While the set is the one read from a stored entry: that entry's fieldsV1, written back as it is. */
  encoded?: FieldsV1 | undefined;
};

/**
 * A manager read from an entry in canonical form (see fields-v1.ts). Its set
 * is decoded only when read, and until a new set is assigned the entry's
 * fieldsV1 stands for it: a manager a write does not touch is neither decoded
 * nor encoded again.
 */
export class StoredManager implements Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  encoded: FieldsV1 | undefined;
  #set: FieldSet | undefined;

  constructor(manager: string, operation: 'Apply' | 'Update', apiVersion: string, encoded: FieldsV1) {
    this.manager = manager;
    this.operation = operation;
    this.apiVersion = apiVersion;
    this.encoded = encoded;
  }

  get set(): FieldSet {
    return (this.#set ??= fromFieldsV1(this.encoded) ?? emptySet());
  }

  set set(set: FieldSet) {
    this.#set = set;
    this.encoded = undefined;
  }
}

/** Managers by identity: name, operation, subresource, and for updaters the apiVersion. */
export type Managers = Map<string, Manager>;

export function managerId(m: { manager: string; operation: string; apiVersion: string; subresource?: string | undefined }): string {
  return JSON.stringify({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.operation === 'Apply' ? '' : m.apiVersion,
    subresource: m.subresource ?? '',
  });
}

/** `lazily`: entries in canonical form become StoredManagers, decoded only if their set is read. */
export function decodeManagers(entries: readonly ManagedFieldsEntry[] | undefined, lazily = false): Managers {
  const out: Managers = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) continue;
    if (typeof e.manager !== 'string' || (e.operation !== 'Apply' && e.operation !== 'Update')) continue;
    const raw = e.fieldsV1 ?? {};
    let m: Manager;
    if (lazily && isCanonicalFieldsV1(raw)) m = new StoredManager(e.manager, e.operation, e.apiVersion ?? '', raw);
    else {
      const set = fromFieldsV1(raw);
      if (!set) continue;
      m = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion ?? '', set };
    }
    if (e.time !== undefined) m.time = e.time;
    if (e.subresource) m.subresource = e.subresource;
    out.set(managerId(m), m);
  }
  return out;
}

/** Whether the manager owns some member of `set`, read in place from a stored encoding. */
export function ownsAnyOf(m: Manager, set: FieldSet): boolean {
  return m.encoded !== undefined ? overlapsFieldsV1(m.encoded, set) : overlaps(m.set, set);
}

/** Whether the manager owns anything (a stored encoding is never empty). */
const ownsFields = (m: Manager): boolean => m.encoded !== undefined || !isEmpty(m.set);

const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries in Kubernetes' order: appliers first, then by time, manager, apiVersion, subresource. */
export function encodeManagers(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter(ownsFields);
  list.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return list.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time !== undefined) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.encoded ?? toFieldsV1(m.set);
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

// Fields no manager owns: type meta and the metadata the server maintains.
const untracked: FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => ['f:metadata', `f:${f}`],
  ),
];

/** Which paths a write may own; `keep` decides by at most the first `depth` elements of a path. */
export type Scope = { keep: (path: FieldPath) => boolean; depth: number };

/**
 * Which paths a write through this subresource may own: /status writes own
 * only status; `resetFields` (e.g. [['status']] for the main resource of a
 * kind with a status subresource) are never owned.
 */
export function trackedScope(subresource: string | undefined, resetFields: readonly (readonly string[])[] = []): Scope {
  const reset = resetFields.map((p) => p.map((f) => `f:${f}`));
  const keep = (path: FieldPath): boolean => {
    if (subresource === 'status' && path.length > 0 && path[0] !== 'f:status') return false;
    return !reset.some((r) => r.length <= path.length && r.every((el, i) => path[i] === el));
  };
  return { keep, depth: Math.max(subresource === 'status' ? 1 : 0, ...reset.map((r) => r.length)) };
}

const untrackedSet = emptySet();
for (const p of untracked) insertPath(untrackedSet, p);

/** A field set restricted to what may be owned. */
export function trackable(set: FieldSet, scope: Scope): FieldSet {
  // filterSet builds a fresh set, so stripping it in place is safe.
  return stripInPlace(filterSet(set, scope.keep), untrackedSet);
}

/** trackable for a fresh set nobody else holds (one compare just built): filtered and stripped in place. */
export function trackableInPlace(set: FieldSet, scope: Scope): FieldSet {
  return stripInPlace(filterInPlace(set, scope.keep, scope.depth), untrackedSet);
}

const maxUpdaters = 10;

/**
 * Keeps managedFields from growing without bound: past ten Update entries the
 * oldest are folded into one `ancient-changes` entry, as Kubernetes does.
 */
export function capUpdaters(managers: Managers): void {
  const updaters = [...managers].filter(([, m]) => m.operation === 'Update' && ownsFields(m));
  if (updaters.length <= maxUpdaters) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
  const folded = updaters.slice(0, updaters.length - maxUpdaters + 1);
  let set: FieldSet | undefined;
  let last: Manager | undefined;
  for (const [id, m] of folded) {
    set = set ? union(set, m.set) : m.set;
    last = m;
    managers.delete(id);
  }
  if (!set || !last) return;
  const ancient: Manager = { manager: 'ancient-changes', operation: 'Update', apiVersion: last.apiVersion, set };
  if (last.time !== undefined) ancient.time = last.time;
  const id = managerId(ancient);
  const existing = managers.get(id);
  if (existing) ancient.set = union(existing.set, set);
  managers.set(id, ancient);
}
