import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { difference, emptySet, fromFieldsV1, insertPath, intersection, memberPaths, pathString, toFieldsV1, union } from './field-set.ts';

const sample = {
  'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
  'f:spec': {
    'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {} } },
    'f:tags': { 'v:"a"': {} },
  },
};

describe('field sets', () => {
  it('round-trips fieldsV1', () => {
    const set = fromFieldsV1(sample);
    assert.ok(set);
    assert.deepEqual(toFieldsV1(set), sample);
    assert.deepEqual(memberPaths(set).map(pathString), [
      '.metadata.labels',
      '.metadata.labels.app',
      '.spec.containers[name="web"]',
      '.spec.containers[name="web"].image',
      '.spec.tags[="a"]',
    ]);
  });

  it('rejects what is not fieldsV1', () => {
    assert.equal(fromFieldsV1({ spec: {} }), undefined);
    assert.equal(fromFieldsV1('x'), undefined);
  });

  it('serialises in Kubernetes order: dot, fields, keys, values', () => {
    const set = emptySet();
    insertPath(set, ['f:list', 'v:"b"']);
    insertPath(set, ['f:list', 'k:{"a":1}']);
    insertPath(set, ['f:list', 'f:z']);
    insertPath(set, ['f:list']);
    assert.deepEqual(Object.keys(toFieldsV1(set)['f:list'] as object), ['.', 'f:z', 'k:{"a":1}', 'v:"b"']);
  });

  it('renders multi-key and numeric keys like Kubernetes', () => {
    assert.equal(pathString(['f:ports', 'k:{"containerPort":80,"protocol":"TCP"}', 'f:name']), '.ports[containerPort=80,protocol="TCP"].name');
  });

  it('unions, differences and intersections member by member', () => {
    const a = emptySet();
    insertPath(a, ['f:x']);
    insertPath(a, ['f:y', 'f:z']);
    const b = emptySet();
    insertPath(b, ['f:y', 'f:z']);
    insertPath(b, ['f:w']);
    assert.deepEqual(memberPaths(union(a, b)), [['f:w'], ['f:x'], ['f:y', 'f:z']]);
    assert.deepEqual(memberPaths(difference(a, b)), [['f:x']]);
    assert.deepEqual(memberPaths(intersection(a, b)), [['f:y', 'f:z']]);
  });
});
