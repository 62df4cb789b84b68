// The fieldsV1 a create claims when no managedFields are sent: every field of
// the new object. The general path gets there by comparing the object with an
// empty one into a field set, filtering that set and encoding it; a create is
// the most common write, and one walk of the object and its shape that writes
// the encoding directly costs several times less. It must give exactly what
// the general path gives (update-managed-fields-fast.test.ts checks), so each
// rule below mirrors one of compare (typed.ts), trackable (managers.ts) and
// toFieldsV1 (field-set.ts).

import { deepEqual } from '../deep-equal.ts';
import { sortedKeys } from '../own-keys.ts';
import { itemsNode, ownedLeaf, sortElements } from './field-set.ts';
import type { FieldsV1 } from './fields-v1.ts';
import { childShape, effectiveShape, fieldOf, isPresent, type Shape } from './shape.ts';
import { effectiveShapeOf, elementsOf } from './typed.ts';

// Metadata the server maintains: never owned (managers.ts `untracked`). Only
// the path itself is dropped, not what lies beneath it, as stripInPlace does.
const untrackedMeta = new Set(['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'resourceVersion']);
const untrackedRoot = new Set(['apiVersion', 'kind']);
const empty = {};

/**
 * What the general path gives for `compare(comparisonBase(undefined, obj), obj)`
 * restricted to `trackedScope(undefined, resetFields)`, encoded; undefined when
 * that is empty. `reset`: top-level fields never owned (resetFields of length 1).
 */
export function createdFieldsV1(obj: Record<string, unknown>, shape: Shape, reset: readonly string[]): FieldsV1 | undefined {
  const eff = effectiveShape(shape, obj);
  if (eff.kind !== 'struct' && eff.kind !== 'map') return undefined;
  const out: FieldsV1 = {};
  for (const k of sortedKeys(obj)) {
    if (reset.includes(k)) continue;
    const v = obj[k];
    // comparisonBase compares metadata always, spec and status when sent, against `{}`.
    const node =
      k === 'metadata'
        ? fromEmpty(v, childShape(eff, k), false, untrackedMeta)
        : (k === 'spec' || k === 'status') && v !== undefined
          ? fromEmpty(v, childShape(eff, k), true, undefined)
          : added(v, childShape(eff, k), !untrackedRoot.has(k));
    if (node) out[`f:${k}`] = node;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A top-level field compared with `{}`: as a leaf it is owned if it differs;
 * as an object it is not owned itself (it was present before), only its
 * fields are. `untracked`: fields beneath it that are never owned.
 */
function fromEmpty(v: unknown, shape: Shape, member: boolean, untracked: ReadonlySet<string> | undefined): FieldsV1 | undefined {
  if (!isPresent(v)) return undefined;
  const eff = effectiveShapeOf(shape, empty, v);
  if (eff.kind !== 'struct' && eff.kind !== 'map') return member && !deepEqual(empty, v) ? ownedLeaf : undefined;
  const fields = v as Record<string, unknown>;
  const out: FieldsV1 = {};
  for (const k of sortedKeys(fields)) {
    // metadata.managedFields are not part of the object compared (withoutManagedFields).
    if (untracked === untrackedMeta && k === 'managedFields') continue;
    const field = fieldOf(eff, k);
    const node = added(fields[k], field.shape, !untracked?.has(k));
    if (node) out[field.element] = node;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The fields of a value that was not there before, all owned (compare's `changed` for it). */
export function addedFieldsV1(v: unknown, shape: Shape): FieldsV1 | undefined {
  return added(v, shape, true);
}

/**
 * A value that was not there before: owned itself (unless `member` is false,
 * for an untracked path), with everything in it. `{}` for a leaf or an empty
 * container; `.` beside the children of a container that is owned.
 */
function added(v: unknown, shape: Shape, member: boolean): FieldsV1 | undefined {
  if (!isPresent(v)) return undefined;
  const eff = effectiveShapeOf(shape, undefined, v);
  if (eff.kind === 'leaf') return member ? ownedLeaf : undefined;
  const items = eff.kind === 'listMap' || eff.kind === 'set';
  const out: FieldsV1 = items ? itemsNode(member) : member ? { '.': ownedLeaf } : {};
  let children = 0;
  if (eff.kind === 'struct' || eff.kind === 'map') {
    const fields = v as Record<string, unknown>;
    for (const k of sortedKeys(fields)) {
      const field = fieldOf(eff, k);
      const node = added(fields[k], field.shape, true);
      if (node) {
        out[field.element] = node;
        children++;
      }
    }
  } else if (eff.kind === 'listMap' || eff.kind === 'set') {
    // Items by path element, as compare keys them (a duplicate counts once).
    const items = elementsOf(v, eff, false, []);
    for (const el of sortElements([...items.keys()])) {
      // Every item is owned; a list-map item also owns its fields.
      const item = eff.kind === 'listMap' ? added(items.get(el), eff.items, true) : undefined;
      out[el] = item ?? ownedLeaf;
      children++;
    }
  }
  // An empty container (or one holding only nulls) is owned as a leaf is.
  if (children > 0) return out;
  return member ? ownedLeaf : undefined;
}
