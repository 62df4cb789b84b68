// Server-side apply: merge an applied configuration into the live object,
// drop what this manager applied before and no longer does, and move field
// ownership, refusing (409) to change fields other managers own unless forced.

import type { KubeObject } from '../../api/meta.ts';
import { badRequest } from '../status.ts';
import { conflictError, type Conflicts } from './conflicts.ts';
import { difference, filterSet, intersection, isEmpty, union, type FieldSet } from './field-set.ts';
import { allowedByLastApplied, lastAppliedAnnotation, lastAppliedValue } from './last-applied.ts';
import { decodeManagers, managerId, trackable, trackedScope, type Manager, type Managers } from './managers.ts';
import { appliedForMerge, comparisonBase, withManagers, withoutManagedFields } from './objects.ts';
import { removeFields, mergeValues } from './merge.ts';
import { shapeOfType } from './shape.ts';
import { compare, deepEqual, fieldSetOf } from './typed.ts';

export type ApplyParams = {
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
  /** Paths (JSON field names) this write may not own, e.g. [['status']] on a main resource with a status subresource. */
  resetFields?: readonly (readonly string[])[];
};

export function applyPatch(p: ApplyParams): KubeObject {
  const mf: unknown = p.applied.metadata?.managedFields;
  if (mf !== undefined && mf !== null) throw badRequest('metadata.managedFields must be nil');
  const shape = shapeOfType(p.typeName);
  const scope = trackedScope(p.subresource, p.resetFields);
  const live = p.live ? withoutManagedFields(p.live) : undefined;
  const managers = decodeManagers(p.live?.metadata?.managedFields);

  const me: Manager = {
    manager: p.manager,
    operation: 'Apply',
    apiVersion: p.apiVersion,
    set: trackable(fieldSetOf(p.applied, shape), scope),
  };
  if (p.subresource) me.subresource = p.subresource;
  const id = managerId(me);
  const previous = managers.get(id);

  const applied = appliedForMerge(p.applied);
  const merged = mergeValues(live ?? {}, applied, shape) as KubeObject;
  if (previous) {
    let keep = me.set;
    for (const [other, m] of managers) if (other !== id) keep = union(keep, m.set);
    removeFields(merged, shape, difference(previous.set, me.set), keep, applied);
  }

  const diff = compare(comparisonBase(live, merged), merged, shape);
  const changed = filterSet(diff.changed, scope.keep);
  const removed = filterSet(diff.removed, scope.keep);
  const conflicts = findConflicts(managers, id, changed);
  if (conflicts.size > 0 && !p.force) {
    const remaining = p.manager === 'kubectl' ? withoutAllowed(conflicts, allowedByLastApplied(live, shape)) : conflicts;
    if (remaining.size > 0) throw conflictError(remaining);
  }
  for (const [other, m] of managers) {
    if (other !== id) m.set = difference(difference(m.set, changed), removed);
  }

  const objectChanged = !live || !deepEqual(live, merged);
  const time = objectChanged || !previous ? p.now : previous.time;
  if (time !== undefined) me.time = time;
  managers.set(id, me);

  if (p.manager === 'kubectl') syncLastApplied(merged, p.applied);
  return withManagers(merged, managers);
}

function findConflicts(managers: Managers, self: string, changed: FieldSet): Conflicts {
  const out: Conflicts = new Map();
  for (const [id, m] of managers) {
    if (id === self) continue;
    const set = intersection(m.set, changed);
    if (!isEmpty(set)) out.set(id, { manager: m, set });
  }
  return out;
}

function withoutAllowed(conflicts: Conflicts, allowed: FieldSet | undefined): Conflicts {
  if (!allowed) return conflicts;
  const out: Conflicts = new Map();
  for (const [id, c] of conflicts) {
    const set = difference(c.set, allowed);
    if (!isEmpty(set)) out.set(id, { manager: c.manager, set });
  }
  return out;
}

// A server-side apply by kubectl keeps an existing client-side annotation current,
// so a later client-side apply computes its patch from the right base.
function syncLastApplied(obj: KubeObject, applied: KubeObject): void {
  const annotations = obj.metadata.annotations;
  if (annotations?.[lastAppliedAnnotation] === undefined) return;
  annotations[lastAppliedAnnotation] = lastAppliedValue(applied);
}
