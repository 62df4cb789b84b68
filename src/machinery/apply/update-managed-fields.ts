// Field ownership for writes other than apply (create, update, patch): the
// writer takes the fields it changed from everyone else, under one `Update`
// entry per manager, apiVersion and subresource.

import type { KubeObject, ManagedFieldsEntry } from '../../api/meta.ts';
import { difference, filterInPlace, filterSet, isEmpty, union } from './field-set.ts';
import { comparisonBase, withManagers, withoutManagedFields } from './objects.ts';
import { coversFieldsV1, overlapsFieldsV1 } from './fields-v1.ts';
import { decodeManagers, managerId, ownsAnyOf, trackable, trackableInPlace, trackedScope, type Manager, type Managers } from './managers.ts';
import { shapeOfType } from './shape.ts';
import { compare, compareField } from './typed.ts';

export type UpdateParams = {
  old: KubeObject | undefined;
  updated: KubeObject;
  manager: string;
  typeName: string;
  apiVersion: string;
  now: string;
  subresource?: string;
  /** Paths (JSON field names) this write may not own; see ApplyParams. */
  resetFields?: readonly (readonly string[])[];
};

// `[{}]` is how a client asks for managedFields to be stripped.
const isResetRequest = (mf: readonly ManagedFieldsEntry[] | undefined): boolean =>
  Array.isArray(mf) && mf.length === 1 && typeof mf[0] === 'object' && mf[0] !== null && Object.keys(mf[0]).length === 0;

/** Sets `updated.metadata.managedFields` for a create (old undefined) or an update. */
export function updateManagedFields(p: UpdateParams): void {
  track(p, true);
}

/** The same, decoding and re-encoding every manager: the reference the fast path is tested and measured against. */
export function updateManagedFieldsGeneral(p: UpdateParams): void {
  track(p, false);
}

// `fast`: managers stored in canonical form are read in place and, when this
// write leaves their set alone, written back as they were (see fields-v1.ts);
// the sets compare builds are filtered without a copy.
function track(p: UpdateParams, fast: boolean): void {
  const sent = p.updated.metadata.managedFields;
  if (isResetRequest(sent)) {
    delete p.updated.metadata.managedFields;
    return;
  }
  const managers = baseline(sent, p.old?.metadata.managedFields, p.subresource, fast);
  const shape = shapeOfType(p.typeName);
  const scope = trackedScope(p.subresource, p.resetFields);
  const after = withoutManagedFields(p.updated);
  const before = comparisonBase(p.old && withoutManagedFields(p.old), after);
  // A /status write may own nothing outside status: the fast path compares only that.
  const diff = fast && p.subresource === 'status' ? compareField(before, after, shape, 'status') : compare(before, after, shape);
  // compare built these sets for this write alone: the fast path filters them in place.
  const changed = fast ? trackableInPlace(diff.changed, scope) : trackable(diff.changed, scope);
  const removed = fast ? filterInPlace(diff.removed, scope.keep, scope.depth) : filterSet(diff.removed, scope.keep);

  const me: Manager = { manager: p.manager, operation: 'Update', apiVersion: p.apiVersion, time: p.now, set: changed };
  if (p.subresource) me.subresource = p.subresource;
  const id = managerId(me);
  const previous = managers.get(id);
  // The writer's earlier entry ends up as (its set - removed) + changed. When
  // that is its set again (a Lease renewal: the holder rewrites the fields it
  // owns), the stored entry stays as it is but for its time.
  const keepsOwn = previous?.encoded !== undefined && coversFieldsV1(previous.encoded, changed) && !overlapsFieldsV1(previous.encoded, removed);

  // Every owner (the writer's earlier entry too, unless kept) loses what this
  // write changed or removed. A set this write does not touch stays as it is
  // (decoded sets hold no empty subtree, so that is what difference would give).
  for (const [other, m] of managers) {
    if (other === id && keepsOwn) continue;
    if (ownsAnyOf(m, changed) || ownsAnyOf(m, removed)) m.set = difference(difference(m.set, changed), removed);
  }
  if (!isEmpty(changed)) {
    if (keepsOwn) previous.time = p.now;
    else {
      if (previous) me.set = union(previous.set, changed);
      managers.set(id, me);
    }
  }
  withManagers(p.updated, managers);
}

/**
 * Whose ownership the write starts from: managedFields sent with the object
 * replace the stored ones (that is how clients edit them), except through a
 * subresource or when none are sent.
 */
function baseline(
  sent: readonly ManagedFieldsEntry[] | undefined,
  stored: readonly ManagedFieldsEntry[] | undefined,
  subresource: string | undefined,
  lazily: boolean,
): Managers {
  if (!subresource && Array.isArray(sent) && sent.length > 0) {
    const fromSent = decodeManagers(sent, lazily);
    if (fromSent.size > 0) return fromSent;
  }
  return decodeManagers(stored, lazily);
}
