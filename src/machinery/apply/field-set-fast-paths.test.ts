// The write path's shortcuts must give what the plain set algebra gives.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { difference, filterInPlace, filterSet, overlaps, stripInPlace, toFieldsV1 } from './field-set.ts';
import { build, pathsOf, seed } from './test-field-sets.ts';

const elements = ['f:a', 'f:b', 'f:c', 'k:{"name":"x"}', 'v:1', 'i:0'];
const paths = pathsOf(elements);

test('stripInPlace on a filtered set equals difference', () => {
  fc.assert(
    fc.property(paths, paths, fc.constantFrom('f:a', 'f:b'), (a, b, banned) => {
      const keep = (p: readonly string[]) => p[0] !== banned;
      const expected = toFieldsV1(difference(filterSet(build(a), keep), build(b)));
      assert.deepEqual(toFieldsV1(stripInPlace(filterSet(build(a), keep), build(b))), expected);
    }),
    { seed, numRuns: 300 },
  );
});

test('a set that shares no member with another is what difference leaves of it', () => {
  fc.assert(
    fc.property(paths, paths, (a, b) => {
      const sa = build(a);
      const sb = build(b);
      const diff = toFieldsV1(difference(sa, sb));
      if (!overlaps(sa, sb)) assert.deepEqual(toFieldsV1(sa), diff);
      else assert.notDeepEqual(toFieldsV1(sa), diff);
    }),
    { seed, numRuns: 300 },
  );
});

test('filterInPlace with a prefix scope equals filterSet', () => {
  const prefix = fc.array(fc.constantFrom('f:a', 'f:b', 'i:0'), { minLength: 1, maxLength: 2 });
  fc.assert(
    fc.property(paths, fc.array(prefix, { maxLength: 2 }), (a, banned) => {
      // Rejects paths under a banned prefix, so it decides by the first `depth` elements.
      const keep = (p: readonly string[]) => !banned.some((b) => b.length <= p.length && b.every((el, i) => p[i] === el));
      const depth = Math.max(0, ...banned.map((b) => b.length));
      assert.deepEqual(toFieldsV1(filterInPlace(build(a), keep, depth)), toFieldsV1(filterSet(build(a), keep)));
    }),
    { seed, numRuns: 300 },
  );
});
