import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deepEqual } from './deep-equal.ts';

test('deepEqual ignores key order and undefined keys, not array order', () => {
  assert.equal(deepEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }), true);
  assert.equal(deepEqual({ a: 1, u: undefined }, { a: 1 }), true);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual({ a: null }, { a: undefined }), false);
  assert.equal(deepEqual({ a: 1 }, { a: '1' }), false);
  assert.equal(deepEqual([], {}), false);
});

test('deepEqual compares own keys: an own "__proto__" or "constructor" is not the inherited one', () => {
  assert.equal(deepEqual(JSON.parse('{"__proto__":{}}'), { y: {} }), false);
  assert.equal(deepEqual({ y: {} }, JSON.parse('{"__proto__":{}}')), false);
  assert.equal(deepEqual(JSON.parse('{"constructor":{}}'), { x: {} }), false);
  assert.equal(deepEqual(JSON.parse('{"__proto__":{"a":1}}'), JSON.parse('{"__proto__":{"a":1}}')), true);
});

// The definition, written plainly: the own keys holding a value, the same on both sides, each value equal.
function reference(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => reference(x, b[i]));
  if (!isObj(a) || !isObj(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && reference(a[k], b[k]));
}

test('deepEqual agrees with its definition, on equal, near-equal and unrelated values', () => {
  const key = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor', '0', '1');
  const leaf = fc.oneof(fc.constantFrom(null, undefined, 0, 1, '', 'a', true, false), fc.integer({ min: -2, max: 2 }));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map((pairs) => {
        // Built by defining each key, so "__proto__" is an own key as JSON.parse makes it.
        const o: Record<string, unknown> = {};
        for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
    ),
  }));
  // Pairs that are often equal: a value and a copy with at most one change.
  const copy = (v: unknown): unknown => (v === undefined ? undefined : structuredClone(v));
  fc.assert(
    fc.property(value, value, fc.boolean(), (x, y, same) => {
      const other = same ? copy(x) : y;
      assert.equal(deepEqual(x, other), reference(x, other));
      assert.equal(deepEqual(other, x), reference(other, x));
    }),
    { numRuns: 5000 },
  );
});
