// Structural equality of JSON-shaped values: object key order does not matter,
// array order does, and a key holding undefined counts as absent (as it does
// once serialized).

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  // Counted rather than listed: managedFields compare every level of an object
  // this way, and key arrays per level were most of what a write allocated there.
  // Own keys only: b.__proto__ or b.constructor is not a key of b.
  let defined = 0;
  for (const k in a) {
    if (!Object.hasOwn(a, k) || a[k] === undefined) continue;
    if (!Object.hasOwn(b, k) || !deepEqual(a[k], b[k])) return false;
    defined++;
  }
  for (const k in b) if (Object.hasOwn(b, k) && b[k] !== undefined) defined--;
  return defined === 0;
}
