import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podFitsNodeSelector, termMatches } from './node-selector.ts';

test('label keys named like inherited properties are absent from a node without them', () => {
  const bare = { name: 'n', labels: {} };
  const labelled = { name: 'n', labels: { constructor: 'x' } };
  const term = (operator: string) => ({ matchExpressions: [{ key: 'constructor', operator, values: operator === 'Exists' || operator === 'DoesNotExist' ? [] : ['x'] }] });
  assert.equal(termMatches(term('Exists'), bare), false);
  assert.equal(termMatches(term('DoesNotExist'), bare), true);
  assert.equal(termMatches(term('NotIn'), bare), true);
  assert.equal(termMatches(term('Exists'), labelled), true);
  assert.equal(termMatches(term('In'), labelled), true);
  assert.equal(podFitsNodeSelector({ nodeSelector: { toString: 'x' } }, bare), false);
  assert.equal(podFitsNodeSelector({ nodeSelector: { constructor: 'x' } }, labelled), true);
});
