import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  everything,
  formatLabelSelector,
  labelKeyErrors,
  labelSelectorToString,
  labelValueErrors,
  nothing,
  validateLabels,
  validateLabelSelector,
  parseSelector,
  selectorFromLabelSelector,
  selectorFromSet,
  type Requirement,
} from './labels.ts';
import { StatusError } from './status.ts';

function badRequestMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail('expected a 400');
}

describe('parseSelector', () => {
  it('parses every operator and prints canonically (sorted by key, values sorted)', () => {
    const s = parseSelector('tier notin (b, a),app=web,env==prod,x!=y, zone in (z,a),has,!gone');
    assert.equal(s.toString(), 'app=web,env==prod,!gone,has,tier notin (a,b),x!=y,zone in (a,z)');
    assert.equal(s.requirements.length, 7);
  });

  it('matches like Kubernetes', () => {
    const s = parseSelector('app=web,tier in (fe,be),env!=prod,!legacy,track');
    assert.equal(s.matches({ app: 'web', tier: 'fe', track: 'x' }), true);
    assert.equal(s.matches({ app: 'web', tier: 'fe', track: 'x', env: 'dev' }), true);
    assert.equal(s.matches({ app: 'web', tier: 'fe', track: 'x', env: 'prod' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'db', track: 'x' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'fe', track: 'x', legacy: '' }), false);
    assert.equal(s.matches({ app: 'web', tier: 'fe' }), false);
    assert.equal(s.matches(undefined), false);
    assert.equal(parseSelector('a notin (x)').matches(undefined), true);
  });

  it('treats the empty string as everything, and empty values as allowed', () => {
    assert.equal(parseSelector('').empty, true);
    assert.equal(parseSelector('  ').matches({}), true);
    const s = parseSelector('a=');
    assert.equal(s.matches({ a: '' }), true);
    assert.equal(s.matches({ a: 'x' }), false);
    assert.equal(s.toString(), 'a=');
    assert.equal(parseSelector('a in (x,)').matches({ a: '' }), true);
  });

  it('supports gt/lt', () => {
    const s = parseSelector('n>5,m<3');
    assert.equal(s.matches({ n: '6', m: '2' }), true);
    assert.equal(s.matches({ n: '5', m: '2' }), false);
    assert.equal(s.matches({ n: 'x', m: '2' }), false);
  });

  it('accepts "in" and "notin" as keys and values', () => {
    assert.equal(parseSelector('in=notin').matches({ in: 'notin' }), true);
  });

  it('rejects bad syntax and invalid keys/values with Kubernetes-like messages', () => {
    assert.match(badRequestMessage(() => parseSelector('a=b,')), /found '', expected: identifier after ','/);
    assert.match(badRequestMessage(() => parseSelector('a in x')), /unable to parse requirement: found 'x', expected: '\('/);
    assert.equal(parseSelector('a in ()').matches({ a: '' }), true);
    assert.equal(parseSelector('a in ()').toString(), 'a in ()');
    assert.match(badRequestMessage(() => parseSelector('a b')), /unable to parse requirement: found 'b', expected: in, notin/);
    assert.match(badRequestMessage(() => parseSelector('a=b c')), /found 'c', expected: ',' or 'end of string'/);
    assert.match(badRequestMessage(() => parseSelector('=b')), /found '=', expected: !, identifier/);
    assert.match(badRequestMessage(() => parseSelector('a/b/c=d')), /unable to parse requirement: key: Invalid value: "a\/b\/c"/);
    assert.match(badRequestMessage(() => parseSelector('a=-x')), /values\[0\]\[a\]: Invalid value: "-x"/);
    assert.match(badRequestMessage(() => parseSelector(`a=${'x'.repeat(64)}`)), /must be no more than 63 characters/);
    assert.match(badRequestMessage(() => parseSelector('a in (x y)')), /expected: ',' or '\)'/);
    assert.match(badRequestMessage(() => parseSelector('!a=b')), /expected: ',' or 'end of string'/);
  });
});

describe('label names', () => {
  it('validates keys and values', () => {
    assert.deepEqual(labelKeyErrors('example.com/my-name'), []);
    assert.deepEqual(labelKeyErrors('app.kubernetes.io/name'), []);
    assert.equal(labelKeyErrors('Example.com/x').length, 1);
    assert.equal(labelKeyErrors('/x').length, 1);
    assert.equal(labelKeyErrors('x/').length, 1);
    assert.equal(labelKeyErrors('a_').length, 1);
    assert.deepEqual(labelValueErrors(''), []);
    assert.deepEqual(labelValueErrors('A.b_c-1'), []);
    assert.equal(labelValueErrors('a b').length, 1);
  });
});

describe('metav1.LabelSelector', () => {
  it('null selects nothing, {} everything', () => {
    assert.equal(selectorFromLabelSelector(null).matches({}), false);
    assert.equal(selectorFromLabelSelector(undefined).matches({ a: 'b' }), false);
    assert.equal(selectorFromLabelSelector({}).matches({ a: 'b' }), true);
    assert.equal(selectorFromLabelSelector({}).empty, true);
    assert.equal(nothing().matches({}), false);
    assert.equal(everything().matches(undefined), true);
  });

  it('combines matchLabels and matchExpressions', () => {
    const ls = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['b', 'a'] },
        { key: 'old', operator: 'DoesNotExist' },
        { key: 'env', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['z'] },
      ],
    };
    const s = selectorFromLabelSelector(ls);
    assert.equal(s.matches({ app: 'web', tier: 'a', env: 'x' }), true);
    assert.equal(s.matches({ app: 'web', tier: 'a', env: 'x', zone: 'z' }), false);
    assert.equal(labelSelectorToString(ls), 'app=web,env,!old,tier in (a,b),zone notin (z)');
    assert.equal(labelSelectorToString({ matchLabels: { app: 'web' } }), 'app=web');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector(undefined), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
  });

  it('rejects invalid operators and values', () => {
    assert.match(badRequestMessage(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })), /"Gt" is not a valid label selector operator/);
    assert.match(badRequestMessage(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })), /can't be empty/);
    assert.match(badRequestMessage(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })), /must be empty/);
    assert.match(badRequestMessage(() => selectorFromLabelSelector({ matchLabels: { 'a b': 'c' } })), /key: Invalid value/);
  });

  it('operators and keys named like inherited properties are nothing special', () => {
    for (const operator of ['constructor', 'toString', '__proto__']) {
      assert.match(badRequestMessage(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator }] })), new RegExp(`"${operator}" is not a valid label selector operator`));
    }
    const s = selectorFromLabelSelector({ matchLabels: { constructor: 'x' }, matchExpressions: [{ key: 'toString', operator: 'DoesNotExist' }, { key: 'valueOf', operator: 'NotIn', values: ['v'] }] });
    assert.equal(s.matches({}), false);
    assert.equal(s.matches({ constructor: 'x' }), true);
    assert.equal(s.matches({ constructor: 'x', toString: '' }), false);
    assert.equal(parseSelector('constructor').matches({}), false);
    assert.equal(parseSelector('!constructor').matches({}), true);
  });

  it('selectorFromSet matches a plain map', () => {
    assert.equal(selectorFromSet({ app: 'web' }).matches({ app: 'web', x: 'y' }), true);
    assert.equal(selectorFromSet({ app: 'web' }).toString(), 'app=web');
  });
});

describe('validation as field errors', () => {
  it('reports bad label maps and selectors with their paths', () => {
    assert.deepEqual(validateLabels({ app: 'web' }, 'metadata.labels'), []);
    const bad = validateLabels({ 'a b': 'ok', k: '-x' }, 'metadata.labels');
    assert.deepEqual(bad.map((e) => [e.field, e.value]), [['metadata.labels', 'a b'], ['metadata.labels', '-x']]);
    const errs = validateLabelSelector(
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'a', operator: 'In', values: [] },
          { key: 'b', operator: 'Exists', values: ['x'] },
          { key: 'c', operator: 'Gt', values: ['1'] },
          { key: 'bad key', operator: 'In', values: ['ok', 'no way'] },
        ],
      },
      'spec.selector',
    );
    assert.deepEqual(
      errs.map((e) => [e.type, e.field]),
      [
        ['FieldValueRequired', 'spec.selector.matchExpressions[0].values'],
        ['FieldValueForbidden', 'spec.selector.matchExpressions[1].values'],
        ['FieldValueInvalid', 'spec.selector.matchExpressions[2].operator'],
        ['FieldValueInvalid', 'spec.selector.matchExpressions[3].key'],
        ['FieldValueInvalid', 'spec.selector.matchExpressions[3].values[1]'],
      ],
    );
    assert.deepEqual(validateLabelSelector(undefined, 'spec.selector'), []);
  });
});

// --- properties ---

const word = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,6}[a-z0-9])?$/);
const key = fc.oneof(word, fc.tuple(fc.constantFrom('example.com', 'k8s.io', 'a'), word).map(([p, n]) => `${p}/${n}`));
const value = fc.oneof(fc.constant(''), word);
const smallKey = fc.constantFrom('a', 'b', 'c', 'x.io/d');
const smallValue = fc.constantFrom('', '1', 'v', 'w');

function requirementArb(k: fc.Arbitrary<string>, v: fc.Arbitrary<string>): fc.Arbitrary<Requirement> {
  return fc.oneof(
    fc.tuple(k, fc.constantFrom('=', '==', '!=') as fc.Arbitrary<'=' | '==' | '!='>, v).map(([key, operator, val]) => ({ key, operator, values: [val] })),
    fc.tuple(k, fc.constantFrom('in', 'notin') as fc.Arbitrary<'in' | 'notin'>, fc.uniqueArray(v, { minLength: 1, maxLength: 3 })).map(([key, operator, values]) => ({ key, operator, values })),
    fc.tuple(k, fc.constantFrom('exists', '!') as fc.Arbitrary<'exists' | '!'>).map(([key, operator]) => ({ key, operator, values: [] })),
  );
}

function render(r: Requirement): string {
  switch (r.operator) {
    case 'exists':
      return ` ${r.key} `;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} ( ${r.values.join(' , ')} )`;
    default:
      return `${r.key} ${r.operator} ${r.values[0]}`;
  }
}

// A direct reading of the requirement semantics, independent of the implementation.
function reference(reqs: readonly Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    if (r.operator === 'exists') return has;
    if (r.operator === '!') return !has;
    const inSet = has && r.values.includes(v as string);
    return r.operator === 'in' || r.operator === '=' || r.operator === '==' ? inSet : !inSet;
  });
}

describe('selector properties', () => {
  it('parse(toString(sel)) round-trips', () => {
    fc.assert(
      fc.property(fc.array(requirementArb(key, value), { maxLength: 5 }), (reqs) => {
        const s = parseSelector(reqs.map(render).join(','));
        const again = parseSelector(s.toString());
        assert.equal(again.toString(), s.toString());
        assert.deepEqual(again.requirements, s.requirements);
      }),
    );
  });

  it('matching agrees with a reference evaluation', () => {
    fc.assert(
      fc.property(
        fc.array(requirementArb(smallKey, smallValue), { maxLength: 4 }),
        fc.dictionary(smallKey, smallValue, { maxKeys: 4 }),
        (reqs, labels) => {
          const s = parseSelector(reqs.map(render).join(','));
          assert.equal(s.matches(labels), reference(reqs, labels));
        },
      ),
      { numRuns: 500 },
    );
  });
});
