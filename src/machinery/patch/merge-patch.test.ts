import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyMergePatch } from './merge-patch.ts';
import { cloneJson, deleteKey, getKey, isJsonObject, setKey, type JsonObject } from './json-value.ts';

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

describe('applyMergePatch against the plain definition', () => {
  // The definition, written plainly: clone the document, then merge each patch key into the clone.
  const reference = (doc: unknown, patch: unknown): unknown => {
    if (!isJsonObject(patch)) return cloneJson(patch);
    const out: JsonObject = isJsonObject(doc) ? cloneJson(doc) : {};
    for (const key of Object.keys(patch)) {
      if (patch[key] === null) deleteKey(out, key);
      else setKey(out, key, reference(getKey(out, key), patch[key]));
    }
    return out;
  };
  // Small key sets so that documents and patches share keys; "__proto__" stays data.
  const key = fc.constantFrom('a', 'b', 'c', 'd', '__proto__', '1');
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, 1, 'x', true), fc.array(tie('node'), { maxLength: 2 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
  })).node;

  it('gives the same document, keys in the same order, sharing nothing with its inputs', () => {
    fc.assert(
      fc.property(value, value, (doc, patch) => {
        const docText = JSON.stringify(doc);
        const patchText = JSON.stringify(patch);
        const out = applyMergePatch(doc, patch);
        assert.equal(JSON.stringify(out), JSON.stringify(reference(doc, patch)));
        // Changing every object of the result leaves both inputs as they were.
        const scramble = (v: unknown): void => {
          if (Array.isArray(v)) v.forEach(scramble);
          else if (isJsonObject(v)) for (const k of Object.keys(v)) { scramble(v[k]); setKey(v, k, 'changed'); }
        };
        scramble(out);
        assert.equal(JSON.stringify(doc), docText);
        assert.equal(JSON.stringify(patch), patchText);
      }),
      { numRuns: 2000 },
    );
  });
});
