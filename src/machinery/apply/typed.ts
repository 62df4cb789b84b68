// Reading values through their shape: the set of fields a value sets, the
// fields that differ between two values, and path elements of list items.

import { badRequest } from '../status.ts';
import { emptySet, insertPath, pathString, type FieldSet } from './field-set.ts';
import { childShape, effectiveShape, fieldOf, isObject, isPresent, type Shape } from './shape.ts';

import { deepEqual } from '../deep-equal.ts';
import { getKey } from '../own-keys.ts';
export { deepEqual };

// Kubernetes' OpenAPI defaults `protocol` to TCP, and list-map keys fall back
// to their default: without it, `ports` written without a protocol (the
// usual case) would have no identity.
const keyDefaults: Record<string, unknown> = { protocol: 'TCP' };

/** `k:{"name":"web"}` for a list-map item; undefined when a key is missing. */
export function keyElement(item: unknown, keys: readonly string[]): string | undefined {
  if (!isObject(item)) return undefined;
  // One key (nearly every list-map): the same text, without building and sorting a key object.
  if (keys.length === 1) {
    const k = keys[0]!;
    const v = isPresent(item[k]) ? item[k] : keyDefaults[k];
    return v === undefined ? undefined : `k:{${JSON.stringify(k)}:${JSON.stringify(v)}}`;
  }
  const key: Record<string, unknown> = {};
  for (const k of [...keys].sort()) {
    const v = isPresent(item[k]) ? item[k] : keyDefaults[k];
    if (v === undefined) return undefined;
    key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}

export const valueElement = (v: unknown): string => `v:${JSON.stringify(v)}`;

/** Items of a list-map or set by their path element, for looking up and merging. */
export function elementsOf(list: unknown, shape: Shape, strict: boolean, at: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(list)) return out;
  list.forEach((item, i) => {
    let el = shape.kind === 'listMap' ? keyElement(item, shape.keys) : valueElement(item);
    if (el === undefined) {
      if (strict) {
        const keys = shape.kind === 'listMap' ? shape.keys.join(', ') : '';
        throw badRequest(`${pathString(at)}: element ${i}: associative list with keys [${keys}] has an element that omits a key field`);
      }
      el = `i:${i}`;
    }
    if (out.has(el) && strict && shape.kind === 'listMap') {
      throw badRequest(`${pathString(at)}: duplicate entries for key ${pathString([el])}`);
    }
    if (!out.has(el)) out.set(el, item);
  });
  return out;
}

/** The fields an applied configuration sets: leaves and list items, not the structs holding them. */
export function fieldSetOf(value: unknown, shape: Shape): FieldSet {
  const out = emptySet();
  collect(value, shape, [], out);
  return out;
}

function collect(value: unknown, shape: Shape, at: string[], out: FieldSet): void {
  if (value === undefined) return;
  const eff = effectiveShape(shape, value);
  if (value === null || eff.kind === 'leaf') {
    if (at.length > 0) insertPath(out, at);
    return;
  }
  if (eff.kind === 'struct' || eff.kind === 'map') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) collect(v, childShape(eff, k), [...at, `f:${k}`], out);
    return;
  }
  for (const [el, item] of elementsOf(value, eff, true, at)) {
    const path = [...at, el];
    insertPath(out, path);
    if (eff.kind === 'listMap') collect(item, eff.items, path, out);
  }
}

export type Comparison = { changed: FieldSet; removed: FieldSet };

/**
 * What differs from `before` to `after`: `changed` holds modified and added
 * paths (an added struct, map or list counts itself and everything in it),
 * `removed` the paths that disappeared.
 */
export function compare(before: unknown, after: unknown, shape: Shape): Comparison {
  const result = { changed: emptySet(), removed: emptySet() };
  diff(before, after, shape, [], result);
  return result;
}

/**
 * compare restricted to one top-level field, for a write that may own nothing
 * else (a /status write): the same paths beneath it, none elsewhere.
 */
export function compareField(before: Record<string, unknown>, after: Record<string, unknown>, shape: Shape, field: string): Comparison {
  const result = { changed: emptySet(), removed: emptySet() };
  const eff = effectiveShapeOf(shape, before, after);
  if (eff.kind === 'struct' || eff.kind === 'map') diff(before[field], after[field], childShape(eff, field), [`f:${field}`], result);
  return result;
}

/** Absent, null, `[]` or `{}`. */
export function isEmptyContainer(v: unknown): boolean {
  if (!isPresent(v)) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (!isObject(v)) return false;
  for (const _ in v) return false;
  return true;
}

// `at` is one path array, grown and shrunk while walking (insertPath copies what it keeps).
function diff(l: unknown, r: unknown, shape: Shape, at: string[], out: Comparison): void {
  // The same value (a subtree the write did not replace) holds no difference.
  if (l === r) return;
  const lp = isPresent(l);
  const rp = isPresent(r);
  if (!lp && !rp) return;
  const eff = effectiveShapeOf(shape, l, r);
  if (eff.kind === 'leaf' || (isEmptyContainer(l) && isEmptyContainer(r))) {
    if (at.length === 0) return;
    if (!lp) insertPath(out.changed, at);
    else if (!rp) insertPath(out.removed, at);
    else if (!deepEqual(l, r)) insertPath(out.changed, at);
    return;
  }
  // Equal values hold no difference anywhere beneath: one tight walk instead of a typed one
  // (near the root only, so a deep change is not compared again at every level).
  if (at.length <= 1 && lp && rp && deepEqual(l, r)) return;
  if (at.length > 0 && !lp) insertPath(out.changed, at);
  if (at.length > 0 && !rp) insertPath(out.removed, at);
  if (eff.kind === 'struct' || eff.kind === 'map') {
    const lo = (lp ? l : {}) as Record<string, unknown>;
    const ro = (rp ? r : {}) as Record<string, unknown>;
    // Own keys only: `ro.constructor` is a function, not a removed "constructor" key.
    const step = (k: string, lv: unknown, rv: unknown): void => {
      const field = fieldOf(eff, k);
      at.push(field.element);
      diff(lv, rv, field.shape, at, out);
      at.pop();
    };
    for (const k in lo) step(k, lo[k], getKey(ro, k));
    for (const k in ro) if (!Object.hasOwn(lo, k)) step(k, undefined, ro[k]);
    return;
  }
  // Keying list items costs more than comparing them: equal lists are skipped at any depth.
  if (lp && rp && deepEqual(l, r)) return;
  const le = elementsOf(l, eff, false, at);
  const re = elementsOf(r, eff, false, at);
  const step = (el: string): void => {
    at.push(el);
    if (!le.has(el)) insertPath(out.changed, at);
    else if (!re.has(el)) insertPath(out.removed, at);
    if (eff.kind === 'listMap') diff(le.get(el), re.get(el), eff.items, at, out);
    at.pop();
  };
  for (const el of le.keys()) step(el);
  for (const el of re.keys()) if (!le.has(el)) step(el);
}

/** effectiveShape for two values, without building an argument list per node. */
export function effectiveShapeOf(shape: Shape, l: unknown, r: unknown): Shape {
  switch (shape.kind) {
    case 'leaf':
      return shape;
    case 'struct':
    case 'map':
      return (!isPresent(l) || isObject(l)) && (!isPresent(r) || isObject(r)) ? shape : effectiveShape(shape, l, r);
    case 'listMap':
    case 'set':
      return (!isPresent(l) || Array.isArray(l)) && (!isPresent(r) || Array.isArray(r)) ? shape : effectiveShape(shape, l, r);
    case 'deduced':
      return effectiveShape(shape, l, r);
  }
}
