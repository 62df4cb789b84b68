import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { intQuantity, isQuantity, milliQuantity, parseQuantity, quantityFromNanos, type QuantityFormat } from './quantity.ts';

describe('parseQuantity', () => {
  it('prints the canonical form Kubernetes does', () => {
    const cases: [string, string][] = [
      ['100m', '100m'],
      ['1.5Gi', '1536Mi'],
      ['1000m', '1'],
      ['0.1', '100m'],
      ['1e3', '1e3'],
      ['2e4', '20e3'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['1.5', '1500m'],
      ['1Ki', '1Ki'],
      ['1024', '1024'],
      ['0.5Ki', '512'],
      ['1.5Ki', '1536'],
      ['2048Ki', '2Mi'],
      ['1025Ki', '1025Ki'],
      ['+1', '1'],
      ['-1.5', '-1500m'],
      ['-0', '0'],
      ['0', '0'],
      ['.5', '500m'],
      ['1.', '1'],
      ['0.0000000001', '1n'],
      ['-0.0000000001', '-1n'],
      ['12E', '12E'],
      ['1E3', '1e3'],
      ['1e-3', '1e-3'],
      ['1000E', '1000E'],
      ['5000P', '5E'],
      ['128974848', '128974848'],
      ['129e6', '129e6'],
      ['123Mi', '123Mi'],
      ['1G', '1G'],
      ['250M', '250M'],
      ['.001Ki', '1024m'],
      ['.000000001Ki', '1024n'],
      ['.000000000001Ki', '2n'],
      ['1.1E-9', '2e-9'],
      ['3.001n', '4n'],
      ['0.5e0', '500e-3'],
      ['1.3E+6', '1300e3'],
      ['100.035k', '100035'],
      ['1.G', '1G'],
      ['300Mi', '300Mi'],
      ['307200Ki', '300Mi'],
    ];
    for (const [input, want] of cases) assert.equal(parseQuantity(input).toString(), want, input);
  });

  it('accepts numbers', () => {
    assert.equal(parseQuantity(0.5).toString(), '500m');
    assert.equal(parseQuantity(3).value(), 3);
    assert.equal(parseQuantity(1e21).toString(), '1e21');
  });

  it('rejects garbage with a clear message', () => {
    for (const bad of ['', '.', 'abc', '1 ', ' 1', '1Ki3', '1e', '1.2.3', '1kk', 'Gi', '--1', '1x', '1e400', '1.1.M', '1+1.0M', '0.1mi', '0.1am', '.5i', '1i', '-3.01i', '-3.01e-']) {
      assert.throws(() => parseQuantity(bad), Error, bad);
      assert.equal(isQuantity(bad), false);
    }
    assert.throws(() => parseQuantity('abc'), /quantities must match the regular expression/);
    assert.throws(() => parseQuantity('1kk'), /unable to parse quantity's suffix/);
  });

  it('computes value and milliValue rounding away from zero', () => {
    assert.equal(parseQuantity('100m').milliValue(), 100);
    assert.equal(parseQuantity('100m').value(), 1);
    assert.equal(parseQuantity('1.5Gi').value(), 1610612736);
    assert.equal(parseQuantity('1n').milliValue(), 1);
    assert.equal(parseQuantity('-100m').value(), -1);
    assert.equal(parseQuantity('2').milliValue(), 2000);
  });

  it('compares and does exact arithmetic', () => {
    const a = parseQuantity('1Gi');
    const b = parseQuantity('1024Mi');
    assert.equal(a.cmp(b), 0);
    assert.equal(parseQuantity('100m').cmp(parseQuantity('0.2')), -1);
    assert.equal(parseQuantity('0.1').add(parseQuantity('0.2')).cmp(parseQuantity('300m')), 0);
    assert.equal(a.add(parseQuantity('512Mi')).toString(), '1536Mi');
    assert.equal(a.sub(a).isZero(), true);
    assert.equal(parseQuantity('1').sub(parseQuantity('2')).toString(), '-1');
    assert.equal(milliQuantity(250).toString(), '250m');
    assert.equal(intQuantity(2048, 'BinarySI').toString(), '2Ki');
    assert.equal(JSON.stringify({ cpu: parseQuantity('1000m') }), '{"cpu":"1"}');
  });
});

const formats = fc.constantFrom<QuantityFormat>('DecimalSI', 'BinarySI', 'DecimalExponent');
const quantities = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 }), formats)
  .map(([n, zeros, f]) => quantityFromNanos(n * 10n ** BigInt(zeros), f));

describe('quantity properties', () => {
  it('parse(toString(q)) equals q', () => {
    fc.assert(
      fc.property(quantities, (q) => {
        const back = parseQuantity(q.toString());
        assert.equal(back.cmp(q), 0, q.toString());
      }),
    );
  });

  it('canonical form is idempotent', () => {
    fc.assert(
      fc.property(quantities, (q) => {
        const s = q.toString();
        const t = parseQuantity(s).toString();
        // A whole binary amount with no binary suffix (e.g. 2000) re-parses as decimal, as in Kubernetes.
        if (q.format !== 'BinarySI') assert.equal(t, s);
        assert.equal(parseQuantity(t).toString(), t);
      }),
    );
  });

  it('keeps Kubernetes\' one non-idempotent case: a binary amount without a binary suffix', () => {
    assert.equal(parseQuantity('1.953125Ki').toString(), '2000');
    assert.equal(parseQuantity('2000').toString(), '2k');
  });

  it('add and sub are inverse', () => {
    fc.assert(
      fc.property(quantities, quantities, (a, b) => {
        assert.equal(a.add(b).sub(b).cmp(a), 0);
        assert.equal(a.add(b).cmp(b.add(a)), 0);
      }),
    );
  });

  it('parses arbitrary well-formed decimal strings to the exact value', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,9}$/), (w, f) => {
        const q = parseQuantity(`${w}.${f}`);
        assert.equal(q.nanos, BigInt(w) * 10n ** 9n + BigInt(f.padEnd(9, '0') || '0'));
      }),
    );
  });
});
