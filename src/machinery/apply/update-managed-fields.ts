// Field ownership for writes other than apply (create, update, patch): the
// writer takes the fields it changed from everyone else, under one `Update`
// entry per manager, apiVersion and subresource.

import type { KubeObject, ManagedFieldsEntry } from '../../api/meta.ts';
import { difference, filterInPlace, filterSet, isEmpty, union } from './field-set.ts';
import { comparisonBase, withManagers, withoutManagedFields } from './objects.ts';
import { changedFieldV1 } from './changed-fields.ts';
import { createdFieldsV1 } from './created-fields.ts';
import { coversFieldsV1, overlapsFieldsV1 } from './fields-v1.ts';
import { decodeManagers, managerId, ownsAnyOf, StoredManager, trackable, trackableInPlace, trackedScope, type Manager, type Managers } from './managers.ts';
import { shapeOfType, type Shape } from './shape.ts';
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
  if (fast && isPlainCreate(p)) {
    trackCreate(p);
    return;
  }
  const managers = baseline(sent, p.old?.metadata.managedFields, p.subresource, fast);
  const shape = shapeOfType(p.typeName);
  if (fast && isFirstStatusWrite(p, managers)) {
    claimStatus(p, managers, shape);
    return;
  }
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
 * A create with no managedFields sent (or none that count) and at most
 * top-level resetFields, the registry's every create: there are no other
 * owners to take fields from, so the writer's one entry is all there is.
 */
const isPlainCreate = (p: UpdateParams): boolean =>
  p.old === undefined &&
  p.subresource === undefined &&
  (!Array.isArray(p.updated.metadata.managedFields) || p.updated.metadata.managedFields.length === 0) &&
  (p.resetFields ?? []).every((r) => r.length === 1);

/** The writer owns every trackable field of the new object, written straight into fieldsV1 (created-fields.ts). */
function trackCreate(p: UpdateParams): void {
  const reset = (p.resetFields ?? []).map((r) => r[0]!);
  const fieldsV1 = createdFieldsV1(p.updated, shapeOfType(p.typeName), reset);
  if (!fieldsV1) {
    delete p.updated.metadata.managedFields;
    return;
  }
  p.updated.metadata.managedFields = [{ manager: p.manager, operation: 'Update', apiVersion: p.apiVersion, time: p.now, fieldsType: 'FieldsV1', fieldsV1 }];
}

/**
 * A manager's first /status write while nobody owns anything in status (a
 * kubelet's first status write of a pod): no other entry can change, and the
 * writer's one is exactly what the write changed.
 */
function isFirstStatusWrite(p: UpdateParams, managers: Managers): boolean {
  if (p.subresource !== 'status' || (p.resetFields ?? []).length > 0) return false;
  if (managers.has(managerId({ manager: p.manager, operation: 'Update', apiVersion: p.apiVersion, subresource: p.subresource }))) return false;
  for (const m of managers.values()) {
    if (m.encoded !== undefined ? Object.hasOwn(m.encoded, 'f:status') : m.set.children.has('f:status')) return false;
  }
  return true;
}

/** The writer's entry, written as compareField walks status (changed-fields.ts); stored in canonical form like one read back. */
function claimStatus(p: UpdateParams, managers: Managers, shape: Shape): void {
  const fieldsV1 = changedFieldV1(comparisonBase(p.old, p.updated), p.updated, shape, 'status');
  if (fieldsV1) {
    const me = new StoredManager(p.manager, 'Update', p.apiVersion, fieldsV1);
    me.time = p.now;
    me.subresource = 'status';
    managers.set(managerId(me), me);
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
