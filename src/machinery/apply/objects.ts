// Small object helpers shared by apply and update tracking.

import type { KubeObject } from '../../api/meta.ts';
import { setKey } from '../own-keys.ts';
import { capUpdaters, encodeManagers, type Managers } from './managers.ts';

/** A view of the object without managedFields; shares everything below metadata, so treat it as read-only. */
export function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  // A plain copy loop: object rest is several times slower on metadata that
  // lost a key to `delete` (the registry drops resourceVersion so).
  const metadata: Record<string, unknown> = {};
  for (const k of Object.keys(obj.metadata)) if (k !== 'managedFields') setKey(metadata, k, (obj.metadata as Record<string, unknown>)[k]);
  return { ...obj, metadata };
}

const serverMeta = ['creationTimestamp', 'uid', 'resourceVersion', 'generation', 'selfLink', 'managedFields'];

/**
 * An applied configuration ready to merge: nulls for server-maintained
 * metadata (`creationTimestamp: null` from `kubectl create -o yaml`) must not
 * erase the live values.
 */
export function appliedForMerge(applied: KubeObject): KubeObject {
  const view = withoutManagedFields(applied);
  const copy: KubeObject = { ...view, metadata: { ...view.metadata } };
  const meta = copy.metadata as Record<string, unknown> | undefined;
  if (meta) for (const k of serverMeta) if (meta[k] === null) delete meta[k];
  return copy;
}

/**
 * What an object is compared against: `before` (or nothing, on create), with
 * the top-level spec and status structs present, as they always are in Go, so
 * that a first write into them does not claim the struct itself.
 */
export function comparisonBase(before: KubeObject | undefined, after: KubeObject): KubeObject {
  const base: KubeObject = before ? { ...before } : { metadata: {} };
  for (const k of ['spec', 'status']) if (base[k] === undefined && after[k] !== undefined) base[k] = {};
  return base;
}

/** Writes the managers into the object's metadata (none: no managedFields). */
export function withManagers(obj: KubeObject, managers: Managers): KubeObject {
  capUpdaters(managers);
  const entries = encodeManagers(managers);
  if (entries.length > 0) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
  return obj;
}
