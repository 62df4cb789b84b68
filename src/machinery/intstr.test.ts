import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isIntOrPercent, scaledValueFromIntOrPercent } from './intstr.ts';

describe('scaledValueFromIntOrPercent', () => {
  it('returns ints unchanged and scales percentages', () => {
    assert.equal(scaledValueFromIntOrPercent(3, 10, true), 3);
    assert.equal(scaledValueFromIntOrPercent('25%', 10, true), 3);
    assert.equal(scaledValueFromIntOrPercent('25%', 10, false), 2);
    assert.equal(scaledValueFromIntOrPercent('100%', 7, false), 7);
    assert.equal(scaledValueFromIntOrPercent('0%', 7, true), 0);
    assert.equal(scaledValueFromIntOrPercent('33%', 3, true), 1);
    assert.equal(scaledValueFromIntOrPercent('33%', 3, false), 0);
  });

  it('throws on malformed values', () => {
    assert.throws(() => scaledValueFromIntOrPercent(undefined, 10, true), /nil value/);
    assert.throws(() => scaledValueFromIntOrPercent('5', 10, true), /not a percentage/);
    assert.throws(() => scaledValueFromIntOrPercent('x%', 10, true), /invalid value for IntOrString/);
    assert.throws(() => scaledValueFromIntOrPercent('%', 10, true), /invalid value for IntOrString/);
  });

  it('recognises int-or-percent values', () => {
    assert.equal(isIntOrPercent(1), true);
    assert.equal(isIntOrPercent('10%'), true);
    assert.equal(isIntOrPercent('10'), false);
    assert.equal(isIntOrPercent(1.5), false);
  });
});
