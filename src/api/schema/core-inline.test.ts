import assert from 'node:assert/strict';
import { it } from 'node:test';
import { INLINE_BASE, inlinedTag, splitInlinedTag } from './core-inline.ts';

it('packs and unpacks the numbers of an inlined field', () => {
  assert.equal(inlinedTag(2, 26), 2026);
  assert.deepEqual(splitInlinedTag(inlinedTag(2, 26)), { outer: 2, inner: 26 });
  assert.deepEqual(splitInlinedTag(inlinedTag(1, 1)), { outer: 1, inner: 1 });
});

it('leaves ordinary field numbers alone', () => {
  assert.deepEqual(splitInlinedTag(40), { outer: 0, inner: 40 });
  assert.deepEqual(splitInlinedTag(INLINE_BASE - 1), { outer: 0, inner: INLINE_BASE - 1 });
});
