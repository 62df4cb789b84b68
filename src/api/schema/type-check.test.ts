import { test } from 'node:test';
import assert from 'node:assert/strict';
import { array, field, int32, keyedList, map, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import { formatPath, typeErrors } from './type-check.ts';

const n = (s: string) => `test.typecheck.${s}`;
registerTypes([
  type(n('Thing'), '', [
    field('spec', 1, ref(n('Spec')), ''),
    field('byName', 2, map(ref(n('Container'))), ''),
    field('grid', 3, array(array(int32)), ''),
    field('labels', 4, map(string), ''),
  ]),
  type(n('Spec'), '', [field('replicas', 1, int32, ''), keyedList('containers', 2, n('Container'), 'name', '')]),
  type(n('Container'), '', [field('name', 1, string, ''), field('image', 2, string, '')]),
]);

test('type errors name the path of the value like Kubernetes', () => {
  const obj = {
    spec: { replicas: '3', containers: [{ name: 'a', image: 'i' }, { name: 7, image: ['x'] }] },
    byName: { web: { name: 'w', image: 1 }, '': 'not an object' },
    grid: [[1, 2], [3, 'four'], 5],
    labels: { a: 'b', c: null },
  };
  assert.deepEqual(typeErrors(n('Thing'), obj), [
    'spec.replicas: expected int32, got string',
    'spec.containers[1].name: expected string, got number',
    'spec.containers[1].image: expected string, got array',
    'byName.web.image: expected string, got number',
    'byName.: expected object, got string',
    'grid[1][1]: expected int32, got string',
    'grid[2]: expected array, got number',
    'labels.c: expected string, got null',
  ]);
  assert.deepEqual(typeErrors(n('Thing'), { spec: null, grid: [[1]], labels: {} }), []);
  assert.deepEqual(typeErrors(n('Thing'), []), ['expected an object, got array']);
});

test('formatPath spells fields, map keys and indexes', () => {
  assert.equal(formatPath([]), '');
  assert.equal(formatPath(['spec', 'containers', 0, 'ports', 12, 'name']), 'spec.containers[0].ports[12].name');
  assert.equal(formatPath(['metadata', 'labels', '', 'x']), 'metadata.labels..x');
});
