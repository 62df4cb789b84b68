// Field ownership for writes other than apply (create, update, patch): the
// writer takes the fields it changed from everyone else, under one `Update`
// entry per manager, apiVersion and subresource.

import type { KubeObject, ManagedFieldsEntry } from '../../api/meta.ts';
import { difference, filterSet, isEmpty, overlaps, union } from './field-set.ts';
import { comparisonBase, withManagers, withoutManagedFields } from './objects.ts';
import { decodeManagers, managerId, trackable, trackedScope, type Manager, type Managers } from './managers.ts';
import { shapeOfType } from './shape.ts';
import { compare } from './typed.ts';

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
  const sent = p.updated.metadata.managedFields;
  if (isResetRequest(sent)) {
    delete p.updated.metadata.managedFields;
    return;
  }
  const managers = baseline(sent, p.old?.metadata.managedFields, p.subresource);
  const shape = shapeOfType(p.typeName);
  const scope = trackedScope(p.subresource, p.resetFields);
  const after = withoutManagedFields(p.updated);
  const before = comparisonBase(p.old && withoutManagedFields(p.old), after);
  const diff = compare(before, after, shape);
  const changed = trackable(diff.changed, scope);
  const removed = filterSet(diff.removed, scope);

  // The writer's earlier entry is treated like any other owner: it loses what
  // was removed and then gains what this write changed.
  // A set this write does not touch stays as it is (decoded sets hold no empty subtree, so that is what difference would give).
  for (const m of managers.values()) if (overlaps(m.set, changed) || overlaps(m.set, removed)) m.set = difference(difference(m.set, changed), removed);

  if (!isEmpty(changed)) {
    const me: Manager = { manager: p.manager, operation: 'Update', apiVersion: p.apiVersion, time: p.now, set: changed };
    if (p.subresource) me.subresource = p.subresource;
    const id = managerId(me);
    const previous = managers.get(id);
    if (previous) me.set = union(previous.set, changed);
    managers.set(id, me);
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
): Managers {
  if (!subresource && Array.isArray(sent) && sent.length > 0) {
    const fromSent = decodeManagers(sent);
    if (fromSent.size > 0) return fromSent;
  }
  return decodeManagers(stored);
}
