// Shapes are cached per field, and list-map keys with one key take a short
// path: both must answer as computing afresh would.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { field, ref, string, type } from '../../api/schema/build.ts';
import { registerTypes } from '../../api/schema/index.ts';
import { childShape, shapeOfType } from './shape.ts';
import { keyElement } from './typed.ts';

const seed = Number(process.env['FAST_CHECK_SEED'] ?? 42);

test('a one-key list-map element is the key object as JSON', () => {
  const key = fc.constantFrom('name', 'protocol', 'a"b', '1', '');
  const item = fc.dictionary(fc.constantFrom('name', 'protocol', 'a"b', '1', '', 'other'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  fc.assert(
    fc.property(item, key, (it, k) => {
      const v = it[k] !== undefined && it[k] !== null ? it[k] : k === 'protocol' ? 'TCP' : undefined;
      assert.equal(keyElement(it, [k]), v === undefined ? undefined : `k:${JSON.stringify({ [k]: v })}`);
    }),
    { seed, numRuns: 2000 },
  );
});

test('a field shape is shared, and one whose type is not registered yet is not kept', () => {
  registerTypes([type('test.shape.v1.Outer', '', [field('inner', 1, ref('test.shape.v1.Inner'), ''), field('name', 2, string, '')])]);
  const outer = shapeOfType('test.shape.v1.Outer');
  assert.equal(shapeOfType('test.shape.v1.Outer'), outer);
  assert.deepEqual(childShape(outer, 'inner'), { kind: 'deduced' });
  registerTypes([type('test.shape.v1.Inner', '', [field('x', 1, string, '')])]);
  const inner = childShape(outer, 'inner');
  assert.equal(inner.kind, 'struct');
  assert.equal(childShape(outer, 'inner'), inner);
  assert.deepEqual(childShape(outer, 'missing'), { kind: 'deduced' });
});
