import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deepEqual } from './deep-equal.ts';

test('deepEqual ignores key order and undefined keys, not array order', () => {
  assert.equal(deepEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }), true);
  assert.equal(deepEqual({ a: 1, u: undefined }, { a: 1 }), true);
  assert.equal(deepEqual([1, 2], [2, 1]), false);
  assert.equal(deepEqual({ a: null }, { a: undefined }), false);
  assert.equal(deepEqual({ a: 1 }, { a: '1' }), false);
  assert.equal(deepEqual([], {}), false);
});
