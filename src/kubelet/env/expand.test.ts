import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandAll, expandVars } from './expand.ts';

const vars = new Map([
  ['A', 'alpha'],
  ['B', 'b$(A)'],
  ['EMPTY', ''],
]);
const ex = (s: string) => expandVars(s, (n) => vars.get(n));

test('defined variables are replaced, undefined ones kept as written', () => {
  assert.equal(ex('$(A)-$(A)'), 'alpha-alpha');
  assert.equal(ex('x$(NOPE)y'), 'x$(NOPE)y');
  assert.equal(ex('$(EMPTY)!'), '!');
  // Values are not expanded again.
  assert.equal(ex('$(B)'), 'b$(A)');
});

test('$$ escapes and lone dollars stay literal', () => {
  assert.equal(ex('$$(A)'), '$(A)');
  assert.equal(ex('$$$(A)'), '$alpha');
  assert.equal(ex('cost $5'), 'cost $5');
  assert.equal(ex('end$'), 'end$');
  assert.equal(ex('$'), '$');
  assert.equal(ex('$$'), '$');
});

test('unterminated references stay as written', () => {
  assert.equal(ex('$(A'), '$(A');
  // The name runs to the first ')', as in Kubernetes.
  assert.equal(ex('$($(A)'), '$($(A)');
  assert.equal(ex('$()'), '$()');
});

test('expandAll handles a missing list', () => {
  assert.deepEqual(expandAll(undefined, vars), []);
  assert.deepEqual(expandAll(['echo', '$(A)'], vars), ['echo', 'alpha']);
});
