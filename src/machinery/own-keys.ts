// Plain objects as dictionaries of keys a client chose (data, labels,
// annotations, nodeSelector, ...). Every object inherits "constructor",
// "toString", "valueOf", ... and `o["__proto__"] = v` sets the prototype
// instead of adding a key, so such keys are read and written as own
// properties only. JSON.parse and object spread already create an own
// "__proto__"; these keep it when code copies keys one by one.

export type Dict<V = unknown> = { [key: string]: V };

export function hasKey(o: Readonly<Dict>, key: string): boolean {
  return Object.hasOwn(o, key);
}

export function getKey<V>(o: Readonly<Dict<V>>, key: string): V | undefined {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

export function setKey<V>(o: Dict<V>, key: string, value: V): void {
  // Only "__proto__" has a setter on Object.prototype: every other key is a plain assignment.
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

export function deleteKey(o: Dict, key: string): void {
  if (Object.hasOwn(o, key)) delete o[key];
}

/**
 * `keys.sort()` for strings, in place. V8's sort copies the array into a
 * work area first; the managedFields walks sort the keys of every object
 * they pass, nearly all of them a handful long, so those are sorted by
 * insertion, which allocates nothing. Same order: UTF-16 code units.
 */
export function sortStrings(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** Object.keys(o), sorted (sortStrings). */
export const sortedKeys = (o: object): string[] => sortStrings(Object.keys(o));
