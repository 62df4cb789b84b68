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

test('deepEqual compares own keys: an own "__proto__" or "constructor" is not the inherited one', () => {
  assert.equal(deepEqual(JSON.parse('{"__proto__":{}}'), { y: {} }), false);
  assert.equal(deepEqual({ y: {} }, JSON.parse('{"__proto__":{}}')), false);
  assert.equal(deepEqual(JSON.parse('{"constructor":{}}'), { x: {} }), false);
  assert.equal(deepEqual(JSON.parse('{"__proto__":{"a":1}}'), JSON.parse('{"__proto__":{"a":1}}')), true);
});
