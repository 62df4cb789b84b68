// The `changed` half of compare (typed.ts), written straight into fieldsV1.
// A kubelet's first /status write is a manager claiming what it changed where
// nobody else owns anything: the changed set is all the write needs, and
// building it as a FieldSet only to encode it costs several times more than
// writing the encoding while walking. Each rule mirrors one in typed.ts
// `diff`; update-managed-fields-fast.test.ts checks the result byte for byte.

import { deepEqual } from '../deep-equal.ts';
import { getKey, sortStrings } from '../own-keys.ts';
import { itemsNode, ownedLeaf, sortElements } from './field-set.ts';
import type { FieldsV1 } from './fields-v1.ts';
import { childShape, fieldOf, isPresent, type Shape } from './shape.ts';
import { addedFieldsV1 } from './created-fields.ts';
import { effectiveShapeOf, elementsOf, isEmptyContainer } from './typed.ts';

/** toFieldsV1(compareField(before, after, shape, field).changed); undefined when nothing changed. */
export function changedFieldV1(before: Record<string, unknown>, after: Record<string, unknown>, shape: Shape, field: string): FieldsV1 | undefined {
  const eff = effectiveShapeOf(shape, before, after);
  if (eff.kind !== 'struct' && eff.kind !== 'map') return undefined;
  const node = changedFieldsV1(before[field], after[field], childShape(eff, field), 1);
  return node && { [`f:${field}`]: node };
}

/**
 * toFieldsV1(compare(l, r, shape).changed) for values at a path `depth`
 * elements below the root (at least 1), relative to that path; undefined when
 * nothing changed.
 */
export function changedFieldsV1(l: unknown, r: unknown, shape: Shape, depth: number): FieldsV1 | undefined {
  if (l === r) return undefined;
  const lp = isPresent(l);
  const rp = isPresent(r);
  if (!lp && !rp) return undefined;
  // Nothing to compare with (most of a kubelet's first status): the create's walk, which does less.
  if (!lp) return addedFieldsV1(r, shape);
  const eff = effectiveShapeOf(shape, l, r);
  if (eff.kind === 'leaf' || (isEmptyContainer(l) && isEmptyContainer(r))) {
    // Modified; a removed value changes nothing.
    return rp && !deepEqual(l, r) ? ownedLeaf : undefined;
  }
  if (depth <= 1 && rp && deepEqual(l, r)) return undefined;
  // The container was there: it is not owned itself, only what changed in it.
  let out: FieldsV1 = {};
  let children = 0;
  if (eff.kind === 'struct' || eff.kind === 'map') {
    const lo = l as Record<string, unknown>;
    const ro = (rp ? r : {}) as Record<string, unknown>;
    const keys = Object.keys(lo);
    for (const k in ro) if (!Object.hasOwn(lo, k)) keys.push(k);
    for (const k of sortStrings(keys)) {
      const field = fieldOf(eff, k);
      const node = changedFieldsV1(getKey(lo, k), getKey(ro, k), field.shape, depth + 1);
      if (node) {
        out[field.element] = node;
        children++;
      }
    }
  } else if (!(rp && deepEqual(l, r))) {
    out = itemsNode(false);
    const le = elementsOf(l, eff, false, []);
    const re = elementsOf(r, eff, false, []);
    const els = [...le.keys()];
    for (const el of re.keys()) if (!le.has(el)) els.push(el);
    for (const el of sortElements(els)) {
      // An item that was not there is owned itself; a list-map item also by what changed in it.
      const inner = eff.kind === 'listMap' ? changedFieldsV1(le.get(el), re.get(el), eff.items, depth + 1) : undefined;
      const node = le.has(el) ? inner : (inner ?? ownedLeaf);
      if (node) {
        out[el] = node;
        children++;
      }
    }
  }
  return children > 0 ? out : undefined;
}
