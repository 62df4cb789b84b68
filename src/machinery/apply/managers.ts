// metadata.managedFields decoded into one field set per manager, and back.

import type { ManagedFieldsEntry } from '../../api/meta.ts';
import { emptySet, filterSet, fromFieldsV1, insertPath, isEmpty, stripInPlace, toFieldsV1, union, type FieldPath, type FieldSet } from './field-set.ts';

export type Manager = {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  set: FieldSet;
};

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

export function decodeManagers(entries: readonly ManagedFieldsEntry[] | undefined): Managers {
  const out: Managers = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (typeof e !== 'object' || e === null) continue;
    if (typeof e.manager !== 'string' || (e.operation !== 'Apply' && e.operation !== 'Update')) continue;
    const set = fromFieldsV1(e.fieldsV1 ?? {});
    if (!set) continue;
    const m: Manager = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion ?? '', set };
    if (e.time !== undefined) m.time = e.time;
    if (e.subresource) m.subresource = e.subresource;
    out.set(managerId(m), m);
  }
  return out;
}

const seconds = (t: string | undefined): number => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries in Kubernetes' order: appliers first, then by time, manager, apiVersion, subresource. */
export function encodeManagers(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !isEmpty(m.set));
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
    e.fieldsV1 = toFieldsV1(m.set);
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

/**
 * Which paths a write through this subresource may own: /status writes own
 * only status; `resetFields` (e.g. [['status']] for the main resource of a
 * kind with a status subresource) are never owned.
 */
export function trackedScope(subresource: string | undefined, resetFields: readonly (readonly string[])[] = []): (path: FieldPath) => boolean {
  const reset = resetFields.map((p) => p.map((f) => `f:${f}`));
  return (path) => {
    if (subresource === 'status' && path.length > 0 && path[0] !== 'f:status') return false;
    return !reset.some((r) => r.length <= path.length && r.every((el, i) => path[i] === el));
  };
}

const untrackedSet = emptySet();
for (const p of untracked) insertPath(untrackedSet, p);

/** A field set restricted to what may be owned. */
export function trackable(set: FieldSet, scope: (path: FieldPath) => boolean): FieldSet {
  // filterSet builds a fresh set, so stripping it in place is safe.
  return stripInPlace(filterSet(set, scope), untrackedSet);
}

const maxUpdaters = 10;

/**
 * Keeps managedFields from growing without bound: past ten Update entries the
 * oldest are folded into one `ancient-changes` entry, as Kubernetes does.
 */
export function capUpdaters(managers: Managers): void {
  const updaters = [...managers].filter(([, m]) => m.operation === 'Update' && !isEmpty(m.set));
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
