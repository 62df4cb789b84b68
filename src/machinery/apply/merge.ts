// Merging an applied configuration into a live object, and taking fields back
// out of it when their last applier drops them.

import { deleteKey, getKey, setKey } from '../own-keys.ts';
import { hasAtOrUnder, memberPaths, type FieldPath, type FieldSet } from './field-set.ts';
import { childShape, effectiveShape, isObject, type Shape } from './shape.ts';
import { elementsOf, keyElement, valueElement } from './typed.ts';

/** `live` with `applied` merged in; a null in `applied` removes the field. */
export function mergeValues(live: unknown, applied: unknown, shape: Shape): unknown {
  if (applied === undefined) return structuredClone(live);
  if (applied === null) return undefined;
  const eff = effectiveShape(shape, live, applied);
  if (eff.kind === 'leaf' || eff.kind === 'deduced') return structuredClone(applied);
  if (eff.kind === 'struct' || eff.kind === 'map') {
    const out: Record<string, unknown> = isObject(live) ? structuredClone(live) : {};
    for (const [k, v] of Object.entries(applied as Record<string, unknown>)) {
      const merged = mergeValues(getKey(out, k), v, childShape(eff, k));
      if (merged === undefined) deleteKey(out, k);
      else setKey(out, k, merged);
    }
    return out;
  }
  const le = elementsOf(live, eff, false, []);
  const re = elementsOf(applied, eff, true, []);
  const mergeItem = (el: string): unknown =>
    eff.kind === 'listMap' ? mergeValues(le.get(el), re.get(el), eff.items) : structuredClone(re.get(el) ?? le.get(el));
  return interleave([...le.keys()], [...re.keys()]).map(mergeItem);
}

/**
 * The merged order of list items: the applied order for items it names,
 * live-only items staying next to the items they followed.
 */
function interleave(live: string[], applied: string[]): string[] {
  const inApplied = new Set(applied);
  const out: string[] = [];
  const done = new Set<string>();
  let i = 0;
  let j = 0;
  while (i < live.length || j < applied.length) {
    const l = live[i];
    const a = applied[j];
    if (l !== undefined && done.has(l)) {
      i++;
    } else if (l !== undefined && !inApplied.has(l)) {
      out.push(l);
      done.add(l);
      i++;
    } else if (a !== undefined) {
      out.push(a);
      done.add(a);
      j++;
      if (a === l) i++;
    } else {
      i++;
    }
  }
  return out;
}

/** Where a value sits: its holder, its slot there, its shape, and whether it is a key field of a list-map item. */
type Container = { holder: Record<string, unknown> | unknown[]; slot: string | number; shape: Shape; isKey: boolean };

function locate(root: Record<string, unknown>, rootShape: Shape, path: FieldPath): Container[] | undefined {
  const trail: Container[] = [];
  let value: unknown = root;
  let shape = rootShape;
  let itemKeys: readonly string[] = [];
  for (const el of path) {
    const eff = effectiveShape(shape, value);
    if (el.startsWith('f:') && isObject(value)) {
      const name = el.slice(2);
      if (!Object.hasOwn(value, name)) return undefined;
      shape = childShape(eff, name);
      trail.push({ holder: value, slot: name, shape, isKey: itemKeys.includes(name) });
      itemKeys = [];
      value = value[name];
      continue;
    }
    if (!Array.isArray(value)) return undefined;
    const index = indexOf(value, eff, el);
    if (index < 0) return undefined;
    shape = eff.kind === 'listMap' ? eff.items : { kind: 'leaf' };
    trail.push({ holder: value, slot: index, shape, isKey: false });
    itemKeys = eff.kind === 'listMap' ? eff.keys : [];
    value = value[index];
  }
  return trail;
}

function indexOf(list: unknown[], shape: Shape, el: string): number {
  if (el.startsWith('i:')) return Number(el.slice(2));
  if (shape.kind === 'listMap') return list.findIndex((item) => keyElement(item, shape.keys) === el);
  return list.findIndex((item) => valueElement(item) === el);
}

function isEmptyValue(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0;
}

/**
 * Removes the fields of `drop` from `obj` unless `keep` owns them or
 * something beneath them. Maps and lists left empty by a removal go too,
 * unless owned or present in `applied`; emptied structs stay, as a Go object
 * would keep them.
 */
export function removeFields(obj: Record<string, unknown>, shape: Shape, drop: FieldSet, keep: FieldSet, applied: Record<string, unknown>): void {
  // Shallow first: a removed item takes its fields with it.
  const paths = memberPaths(drop).sort((a, b) => a.length - b.length);
  for (const path of paths) {
    if (hasAtOrUnder(keep, path)) continue;
    const trail = locate(obj, shape, path);
    // A kept list item keeps its key fields, or it would lose its identity.
    if (!trail || trail[trail.length - 1]?.isKey) continue;
    for (let depth = trail.length - 1; depth >= 0; depth--) {
      const at = trail[depth];
      if (!at) break;
      if (depth < trail.length - 1) {
        const value = (at.holder as Record<string | number, unknown>)[at.slot];
        const kind = effectiveShape(at.shape, value).kind;
        const removable = isEmptyValue(value) && (kind === 'map' || kind === 'listMap' || kind === 'set');
        const container = path.slice(0, depth + 1);
        if (!removable || hasAtOrUnder(keep, container) || locate(applied, shape, container)) break;
      }
      if (Array.isArray(at.holder)) at.holder.splice(at.slot as number, 1);
      else delete at.holder[at.slot as string];
    }
  }
}
