import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatchByType, PatchType, patchMediaType } from './patch-type.ts';
import { testPod } from './strategic-test-types.ts';
import { StatusError } from '../status.ts';

const failure = (fn: () => unknown): StatusError => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    return e;
  }
  assert.fail('expected a failure');
};

describe('applyPatchByType', () => {
  const live = { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };

  it('dispatches on the media type, ignoring parameters and case', () => {
    assert.equal(patchMediaType('Application/JSON-Patch+json; charset=utf-8'), PatchType.JSON);
    const json = applyPatchByType('application/json-patch+json; charset=utf-8', live, [{ op: 'replace', path: '/metadata/labels/a', value: '2' }], testPod);
    assert.deepEqual(json, { ...live, metadata: { name: 'p', labels: { a: '2' } } });
  });

  it('merge patch replaces a keyed list where strategic merge merges it', () => {
    const patch = { spec: { containers: [{ name: 'd', image: 'y' }] } };
    const merged = applyPatchByType(PatchType.Merge, live, patch, testPod) as typeof live;
    const strategic = applyPatchByType(PatchType.StrategicMerge, live, patch, testPod) as typeof live;
    assert.deepEqual(merged.spec.containers.map((c) => c.name), ['d']);
    assert.deepEqual(strategic.spec.containers.map((c) => c.name), ['d', 'c']);
  });

  it('refuses a merge or strategic patch that is not an object with 400', () => {
    assert.equal(failure(() => applyPatchByType(PatchType.Merge, live, [1], testPod)).code, 400);
    assert.equal(failure(() => applyPatchByType(PatchType.StrategicMerge, live, null, testPod)).code, 400);
  });

  it('answers 415 for apply patches and unknown types', () => {
    for (const type of [PatchType.Apply, PatchType.ApplyCBOR, 'application/json', 'text/plain']) {
      const e = failure(() => applyPatchByType(type, live, {}, testPod));
      assert.equal(e.code, 415);
      assert.equal(e.reason, 'UnsupportedMediaType');
      assert.match(e.message, /application\/strategic-merge-patch\+json/);
    }
  });
});
