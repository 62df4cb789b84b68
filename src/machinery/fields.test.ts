import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeFieldValue, parseFieldSelector, requiresExactMatch } from './fields.ts';
import { StatusError } from './status.ts';

const obj: Record<string, string> = { 'spec.nodeName': 'n1', 'status.phase': 'Running', 'metadata.name': 'a,b=c' };
const get = (f: string): string | undefined => obj[f];

describe('parseFieldSelector', () => {
  it('parses what kubectl describe node sends', () => {
    const s = parseFieldSelector('spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed');
    assert.deepEqual(s.requirements, [
      { field: 'spec.nodeName', op: '=', value: 'n1' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
      { field: 'status.phase', op: '!=', value: 'Succeeded' },
    ]);
    assert.equal(s.matches(get), true);
    assert.equal(parseFieldSelector('status.phase!=Running').matches(get), false);
  });

  it('accepts ==, empty values and an empty selector', () => {
    assert.equal(parseFieldSelector('spec.nodeName==n1').matches(get), true);
    const unbound = parseFieldSelector('spec.nodeName=');
    assert.deepEqual(unbound.requirements, [{ field: 'spec.nodeName', op: '=', value: '' }]);
    assert.equal(unbound.matches(get), false);
    assert.equal(unbound.matches(() => undefined), true);
    assert.equal(parseFieldSelector('').empty, true);
    assert.equal(parseFieldSelector('a=b,').requirements.length, 1);
  });

  it('unescapes \\, \\= and \\\\', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c');
    assert.equal(s.requirements[0]?.value, 'a,b=c');
    assert.equal(s.matches(get), true);
    assert.equal(requiresExactMatch(s, 'metadata.name'), 'a,b=c');
    assert.equal(s.toString(), 'metadata.name=a\\,b\\=c');
  });

  it('rejects terms without an operator and bad escapes', () => {
    for (const bad of ['spec.nodeName', 'a=b=c', 'a=x\\y', 'a=x\\']) {
      assert.throws(() => parseFieldSelector(bad), (e: unknown) => e instanceof StatusError && e.code === 400, bad);
    }
    assert.throws(() => parseFieldSelector('a=b,foo'), /invalid selector: 'a=b,foo'; can't understand 'foo'/);
  });

  it('round-trips any value through escaping', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('=', '!=') as fc.Arbitrary<'=' | '!='>, (v, op) => {
        const s = parseFieldSelector(`metadata.name${op}${escapeFieldValue(v)}`);
        assert.deepEqual(s.requirements, [{ field: 'metadata.name', op, value: v }]);
      }),
    );
  });
});
