// The informer's local store: objects by key plus secondary indices
// (index name → value → keys), kept in step on every change.

import type { KubeObject } from '../api/meta.ts';
import { objectKey } from './keys.ts';

export type IndexFunc<T> = (obj: T) => string[];

export const namespaceIndex = 'namespace';

type Index<T> = { fn: IndexFunc<T>; keysByValue: Map<string, Set<string>> };

export class Indexer<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  constructor() {
    this.addIndex(namespaceIndex, (o) => (o.metadata.namespace ? [o.metadata.namespace] : []));
  }

  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indexes.has(name)) throw new Error(`index "${name}" already exists`);
    const index: Index<T> = { fn, keysByValue: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) addKey(index, key, fn(obj));
  }

  removeIndex(name: string): void {
    if (name === namespaceIndex) throw new Error(`index "${name}" cannot be removed`);
    this.indexes.delete(name);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  get size(): number {
    return this.items.size;
  }

  keys(): IterableIterator<string> {
    return this.items.keys();
  }

  values(): IterableIterator<T> {
    return this.items.values();
  }

  /** Adds or replaces; returns the previous object. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const index of this.indexes.values()) {
      const values = index.fn(obj);
      if (old) {
        const before = index.fn(old);
        // Most updates (status writes) keep an object's index values: its sets stay as they are.
        if (sameValues(before, values)) continue;
        removeKey(index, key, before);
      }
      addKey(index, key, values);
    }
    return old;
  }

  /** Removes; returns the object that was there. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    for (const index of this.indexes.values()) removeKey(index, key, index.fn(old));
    this.items.delete(key);
    return old;
  }

  byIndex(name: string, value: string): T[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`index "${name}" does not exist`);
    const keys = index.keysByValue.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }
}

function addKey<T>(index: Index<T>, key: string, values: readonly string[]): void {
  for (const v of values) {
    let set = index.keysByValue.get(v);
    if (!set) index.keysByValue.set(v, (set = new Set()));
    set.add(key);
  }
}

function removeKey<T>(index: Index<T>, key: string, values: readonly string[]): void {
  for (const v of values) {
    const set = index.keysByValue.get(v);
    if (!set) continue;
    set.delete(key);
    if (set.size === 0) index.keysByValue.delete(v);
  }
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
