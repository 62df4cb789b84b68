// Reading fieldsV1 in place must agree with decoding it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { difference, fromFieldsV1, isEmpty, overlaps, toFieldsV1 } from './field-set.ts';
import { coversFieldsV1, isCanonicalFieldsV1, overlapsFieldsV1 } from './fields-v1.ts';
import { build, pathsOf, seed } from './test-field-sets.ts';

const elements = ['f:a', 'f:b', 'f:c', 'k:{"name":"x"}', 'v:1', 'v:"b"', 'i:0', 'i:10', 'i:2'];
const element = fc.constantFrom(...elements);
const paths = pathsOf(elements);

// fieldsV1 a client might send: any nesting of these keys, in any order, `.` anywhere.
const { raw } = fc.letrec((tie) => ({
  raw: fc.dictionary(fc.oneof(element, fc.constant('.')), fc.oneof({ depthSize: 'small' }, fc.constant({}), tie('raw')), { maxKeys: 4 }),
}));

test('canonical exactly when re-encoding gives the same text and a non-empty set', () => {
  fc.assert(
    fc.property(fc.oneof(raw, paths.map((ps) => toFieldsV1(build(ps)))), (r) => {
      const set = fromFieldsV1(r);
      const same = set !== undefined && !isEmpty(set) && JSON.stringify(toFieldsV1(set)) === JSON.stringify(r);
      assert.equal(isCanonicalFieldsV1(r), same, JSON.stringify(r));
    }),
    { seed, numRuns: 2000 },
  );
});

test('not canonical: out of order, a `.` on a leaf, a lone `.`, an empty root, a non-object', () => {
  assert.equal(isCanonicalFieldsV1({ 'f:spec': { 'f:b': {}, 'f:a': {} } }), false);
  assert.equal(isCanonicalFieldsV1({ 'f:spec': { 'f:a': { '.': {} } } }), false);
  assert.equal(isCanonicalFieldsV1({ 'f:spec': { 'f:a': {}, '.': {} } }), false);
  assert.equal(isCanonicalFieldsV1({ 'f:spec': { 'i:10': {}, 'i:2': {} } }), false);
  assert.equal(isCanonicalFieldsV1({ '.': {} }), false);
  assert.equal(isCanonicalFieldsV1({}), false);
  assert.equal(isCanonicalFieldsV1({ 'f:a': 1 }), false);
  assert.equal(isCanonicalFieldsV1({ 'f:spec': { '.': {}, 'f:a': {}, 'f:b': {} }, 'k:{"a":1}': {} }), true);
});

test('overlaps and covers read in place agree with the decoded set', () => {
  fc.assert(
    fc.property(paths, paths, (a, b) => {
      const sa = build(a);
      const sb = build(b);
      const encoded = toFieldsV1(sa);
      if (!isCanonicalFieldsV1(encoded)) return;
      assert.equal(overlapsFieldsV1(encoded, sb), overlaps(sa, sb));
      assert.equal(coversFieldsV1(encoded, sb), isEmpty(difference(sb, sa)));
    }),
    { seed, numRuns: 1000 },
  );
});
