import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from './duration.ts';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it('formats each band like Kubernetes', () => {
    const cases: [number, string][] = [
      [-3 * s, '<invalid>'],
      [-2 * s, '<invalid>'],
      [-1900, '0s'],
      [-1 * s, '0s'],
      [0, '0s'],
      [999, '0s'],
      [59 * s, '59s'],
      [119 * s, '119s'],
      [2 * m, '2m'],
      [5 * m + 2 * s, '5m2s'],
      [9 * m + 59 * s, '9m59s'],
      [10 * m + 30 * s, '10m'],
      [179 * m, '179m'],
      [3 * h, '3h'],
      [3 * h + 5 * m, '3h5m'],
      [7 * h + 59 * m, '7h59m'],
      [8 * h + 30 * m, '8h'],
      [47 * h, '47h'],
      [2 * d, '2d'],
      [2 * d + 3 * h, '2d3h'],
      [7 * d + 23 * h, '7d23h'],
      [8 * d + 5 * h, '8d'],
      [729 * d, '729d'],
      [730 * d, '2y'],
      [730 * d + 100 * d, '2y100d'],
      [365 * 8 * d, '8y'],
      [365 * 9 * d + 20 * d, '9y'],
    ];
    for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
  });
});

describe('translateTimestampSince', () => {
  it('gives the age of a timestamp, or <unknown>', () => {
    const now = Date.parse('2024-01-01T00:10:00Z');
    assert.equal(translateTimestampSince('2024-01-01T00:00:00Z', now), '10m');
    assert.equal(translateTimestampSince(undefined, now), '<unknown>');
    assert.equal(translateTimestampSince('garbage', now), '<unknown>');
  });
});
