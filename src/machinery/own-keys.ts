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
