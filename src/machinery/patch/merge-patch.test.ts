import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './merge-patch.ts';

describe('applyMergePatch', () => {
  // The test cases of RFC 7386 appendix A: [target, patch, result].
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) {
    it(`${JSON.stringify(target)} + ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(applyMergePatch(target, patch), result);
    });
  }

  it('removes a label with null and scales like kubectl does', () => {
    const live = { metadata: { name: 'web', labels: { app: 'web', tier: 'fe' } }, spec: { replicas: 1 } };
    const out = applyMergePatch(live, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 5 } });
    assert.deepEqual(out, { metadata: { name: 'web', labels: { app: 'web', env: 'prod' } }, spec: { replicas: 5 } });
    assert.deepEqual(live.metadata.labels, { app: 'web', tier: 'fe' }, 'the input is never changed');
  });

  it('does not share structure with the patch', () => {
    const patch = { a: { list: [1] } };
    const out = applyMergePatch({}, patch) as typeof patch;
    out.a.list.push(2);
    assert.deepEqual(patch, { a: { list: [1] } });
  });
});
