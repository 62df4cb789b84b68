// Sets of field paths, kept as a tree shaped like `fieldsV1`: each node is a
// path element (`f:name`, `k:{"name":"web"}`, `v:"a"`, `i:0`) and `member`
// says whether the path ending there is itself in the set (the `.` entry).

import { sortStrings } from '../own-keys.ts';

export type FieldSet = { member: boolean; children: Map<string, FieldSet> };

/** A path: encoded elements from the root, e.g. ['f:spec', 'f:replicas']. */
export type FieldPath = readonly string[];

export function emptySet(): FieldSet {
  return { member: false, children: new Map() };
}

export function insertPath(set: FieldSet, path: FieldPath): void {
  let node = set;
  for (const el of path) {
    let next = node.children.get(el);
    if (!next) {
      next = emptySet();
      node.children.set(el, next);
    }
    node = next;
  }
  node.member = true;
}

function nodeAt(set: FieldSet, path: FieldPath): FieldSet | undefined {
  let node: FieldSet | undefined = set;
  for (const el of path) {
    node = node.children.get(el);
    if (!node) return undefined;
  }
  return node;
}

export function hasPath(set: FieldSet, path: FieldPath): boolean {
  return nodeAt(set, path)?.member ?? false;
}

/** True when the path or anything beneath it is a member. */
export function hasAtOrUnder(set: FieldSet, path: FieldPath): boolean {
  const node = nodeAt(set, path);
  return node !== undefined && !isEmpty(node);
}

// Sets built by difference, intersection and filterSet never hold an empty
// child, so one of them is empty exactly when this cheap test says so.
const emptyBuilt = (set: FieldSet): boolean => !set.member && set.children.size === 0;

export function isEmpty(set: FieldSet): boolean {
  if (set.member) return false;
  for (const child of set.children.values()) if (!isEmpty(child)) return false;
  return true;
}

export function cloneSet(set: FieldSet): FieldSet {
  const out = emptySet();
  out.member = set.member;
  for (const [el, child] of set.children) out.children.set(el, cloneSet(child));
  return out;
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  const out = cloneSet(a);
  out.member ||= b.member;
  for (const [el, child] of b.children) {
    const mine = out.children.get(el);
    out.children.set(el, mine ? union(mine, child) : cloneSet(child));
  }
  return out;
}

/** Members of `a` that are not members of `b` (path by path, not subtrees). */
export function difference(a: FieldSet, b: FieldSet): FieldSet {
  const out = emptySet();
  out.member = a.member && !b.member;
  for (const [el, child] of a.children) {
    const other = b.children.get(el);
    if (other) {
      const rest = difference(child, other);
      if (!emptyBuilt(rest)) out.children.set(el, rest);
    } else if (!isEmpty(child)) out.children.set(el, cloneSet(child));
  }
  return out;
}

/** Whether some path is a member of both sets; walks only what they share. */
export function overlaps(a: FieldSet, b: FieldSet): boolean {
  if (a.member && b.member) return true;
  const [small, large] = a.children.size <= b.children.size ? [a, b] : [b, a];
  for (const [el, child] of small.children) {
    const other = large.children.get(el);
    if (other && overlaps(child, other)) return true;
  }
  return false;
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  const out = emptySet();
  out.member = a.member && b.member;
  for (const [el, child] of a.children) {
    const other = b.children.get(el);
    if (!other) continue;
    const both = intersection(child, other);
    if (!emptyBuilt(both)) out.children.set(el, both);
  }
  return out;
}

/** Drops the members whose path the predicate rejects (with their subtrees). The predicate must not keep the path it is given. */
export function filterSet(set: FieldSet, keep: (path: FieldPath) => boolean, at: string[] = []): FieldSet {
  return filterAt(set, keep, [...at], set.member && keep(at));
}

// One path array, grown and shrunk while walking, instead of a copy per node.
function filterAt(set: FieldSet, keep: (path: FieldPath) => boolean, at: string[], member: boolean): FieldSet {
  const out = emptySet();
  out.member = member;
  for (const [el, child] of set.children) {
    at.push(el);
    if (keep(at)) {
      const rest = filterAt(child, keep, at, child.member);
      if (!emptyBuilt(rest)) out.children.set(el, rest);
    }
    at.pop();
  }
  return out;
}

/**
 * filterSet without the copy, for a set nobody else holds and that has no
 * empty subtree; `keep` is asked only down to `depth` elements, as for a scope
 * that decides by a short prefix (deeper paths follow their ancestor, which
 * filterSet would have kept whole). Changes `set`.
 */
export function filterInPlace(set: FieldSet, keep: (path: FieldPath) => boolean, depth: number): FieldSet {
  if (set.member && !keep([])) set.member = false;
  filterChildrenInPlace(set, keep, depth, []);
  return set;
}

function filterChildrenInPlace(set: FieldSet, keep: (path: FieldPath) => boolean, depth: number, at: string[]): void {
  if (at.length >= depth) return;
  for (const [el, child] of set.children) {
    at.push(el);
    if (!keep(at)) set.children.delete(el);
    else {
      filterChildrenInPlace(child, keep, depth, at);
      if (emptyBuilt(child)) set.children.delete(el);
    }
    at.pop();
  }
}

/**
 * Clears the members of `strip` in `set`, pruning what becomes empty; the
 * same as `difference(set, strip)` for a set with no empty subtree (one built
 * by filterSet), without copying it. Changes `set`.
 */
export function stripInPlace(set: FieldSet, strip: FieldSet): FieldSet {
  if (strip.member) set.member = false;
  for (const [el, s] of strip.children) {
    const child = set.children.get(el);
    if (!child) continue;
    stripInPlace(child, s);
    if (emptyBuilt(child)) set.children.delete(el);
  }
  return set;
}

/** Removes exactly these member paths (not their subtrees). */
export function withoutPaths(set: FieldSet, paths: readonly FieldPath[]): FieldSet {
  const strip = emptySet();
  for (const p of paths) insertPath(strip, p);
  return difference(set, strip);
}

// Order of path elements as Kubernetes serialises them: field names, then
// keys, then values, then indexes, each sorted within its kind.
const kindRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

export function compareElements(a: string, b: string): number {
  const ra = kindRank[a[0] ?? ''] ?? 4;
  const rb = kindRank[b[0] ?? ''] ?? 4;
  if (ra !== rb) return ra - rb;
  if (a[0] === 'i') return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

const sortedKeys = (set: FieldSet): string[] => sortElements([...set.children.keys()]);

/** Path elements in Kubernetes' order (see compareElements); sorts `keys` in place. */
export function sortElements(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  // Mostly all field names: then the default string order is the same order, and cheaper.
  const kind = keys[0]!.charCodeAt(0);
  for (const el of keys) if (el.charCodeAt(0) !== kind || kind === 105) return keys.sort(compareElements);
  return sortStrings(keys);
}

/** Member paths in Kubernetes' iteration order (a path before those beneath it). */
export function memberPaths(set: FieldSet, at: string[] = []): string[][] {
  const out: string[][] = [];
  if (set.member && at.length > 0) out.push(at);
  for (const el of sortedKeys(set)) out.push(...memberPaths(set.children.get(el)!, [...at, el]));
  return out;
}

/**
 * The `{}` of an owned field in fieldsV1 (a leaf, or `.` beside children):
 * one frozen object shared by every fieldsV1 built here. Most nodes are
 * leaves, dozens per object, and objects in the watch cache live long:
 * sharing one keeps them out of every write's retained objects.
 */
export const ownedLeaf: Record<string, unknown> = Object.freeze({});

/**
 * An empty fieldsV1 node for the items of a list (`k:{"ip":"10.1.2.3"}`,
 * `v:"a"`, `i:0`), with `.` when `member`. Such keys carry values, so most
 * are new to V8, and adding a new key to an ordinary object records one more
 * transition on its hidden class. Past ~1,500 transitions on one class V8
 * records none: every object built through that class gets a class of its
 * own from then on. Item nodes began as `{ '.': {} }`, as most fieldsV1
 * nodes do; once a few thousand pod IPs and owner uids had passed through,
 * every fieldsV1 node built after them had a class of its own (141,000 in
 * the API server under bench/sim), and all code reading them fell back to
 * its slowest lookups. An object in V8's dictionary mode keeps its keys in a
 * hash table and records no transitions; `delete` of a key other than the
 * last one added puts an object in that mode.
 */
export function itemsNode(member: boolean): Record<string, unknown> {
  const node: Record<string, unknown> = { dictionaryMode: ownedLeaf, '.': ownedLeaf };
  delete node['dictionaryMode'];
  if (!member) delete node['.'];
  return node;
}

/** Whether `el` names a list item (`k:`, `v:` or `i:`) rather than a field (`f:`). */
const isItem = (el: string): boolean => el.charCodeAt(0) !== 102;

export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  if (set.children.size === 0) return ownedLeaf;
  const els = sortedKeys(set);
  const out: Record<string, unknown> = els.some(isItem) ? itemsNode(set.member) : set.member ? { '.': ownedLeaf } : {};
  for (const el of els) {
    const child = set.children.get(el)!;
    if (isEmpty(child)) continue;
    out[el] = toFieldsV1(child);
  }
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `f:`, `k:`, `v:` or `i:` first. */
export function isElement(el: string): boolean {
  const c = el.charCodeAt(0);
  return el.charCodeAt(1) === 58 && (c === 102 || c === 107 || c === 118 || c === 105);
}

/** Parses `fieldsV1`; undefined when it is not shaped like one. */
export function fromFieldsV1(raw: unknown): FieldSet | undefined {
  if (!isPlainObject(raw)) return undefined;
  const out = emptySet();
  for (const [el, value] of Object.entries(raw)) {
    if (el === '.') {
      out.member = true;
      continue;
    }
    if (!isElement(el)) return undefined;
    const child = fromFieldsV1(value);
    if (!child) return undefined;
    if (child.children.size === 0) child.member = true;
    out.children.set(el, child);
  }
  return out;
}

// Rendering of values in paths, as Kubernetes prints them: strings quoted,
// lists `[a,b]`, maps `{k=v}`.
function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(renderValue).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${k}=${renderValue(v[k])}`).join(',')}}`;
  }
  return String(v);
}

function renderElement(el: string): string {
  const body = el.slice(2);
  switch (el[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.keys(key)
        .map((k) => `${k}=${renderValue(key[k])}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${renderValue(JSON.parse(body))}]`;
    case 'i':
      return `[${body}]`;
    default:
      return el;
  }
}

/** `.spec.template.spec.containers[name="web"].image` */
export function pathString(path: FieldPath): string {
  return path.map(renderElement).join('');
}
