import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deleteKey, getKey, hasKey, setKey, sortedKeys, sortStrings } from './own-keys.ts';

const inherited = fc.constantFrom('__proto__', 'constructor', 'valueOf', 'toString', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__');
const key = fc.oneof(inherited, fc.string({ maxLength: 3 }));

test('"__proto__" is set as a key, not as the prototype', () => {
  const o: Record<string, unknown> = {};
  setKey(o, '__proto__', { polluted: true });
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.deepEqual(Object.keys(o), ['__proto__']);
  assert.equal(JSON.stringify(o), '{"__proto__":{"polluted":true}}');
  assert.equal((o as { polluted?: boolean }).polluted, undefined);
});

test('keys an object inherits are absent until set', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.tuple(key, fc.string()), { selector: ([k]) => k }), inherited, (pairs, probe) => {
      const o: Record<string, string> = {};
      for (const [k, v] of pairs) setKey(o, k, v);
      // The same object JSON.parse would build.
      assert.deepEqual(Object.entries(o), Object.entries(JSON.parse(JSON.stringify(Object.fromEntries(pairs)))));
      const set = pairs.find(([k]) => k === probe);
      assert.equal(hasKey(o, probe), set !== undefined);
      assert.equal(getKey(o, probe), set?.[1]);
      deleteKey(o, probe);
      assert.equal(hasKey(o, probe), false);
      assert.equal(Object.getPrototypeOf(o), Object.prototype);
    }),
  );
});

test('sortStrings sorts in place in the order Array.prototype.sort gives, short lists and long', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('f:a', 'f:B', 'k:{"x":1}', '.', 'é', '\u{1F600}', 'Z')), { maxLength: 40 }), (keys) => {
      const copy = [...keys];
      const out = sortStrings(keys);
      assert.equal(out, keys);
      assert.deepEqual(out, copy.sort());
    }),
    { numRuns: 2000 },
  );
  assert.deepEqual(sortedKeys({ b: 1, a: 2, 10: 3, '2': 4 }), ['10', '2', 'a', 'b']);
});
