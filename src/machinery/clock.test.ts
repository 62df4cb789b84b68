import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, rfc3339, rfc3339Micro } from './clock.ts';

test('rfc3339 formats whole seconds, the same within a second and the next one after it', () => {
  const t = Date.UTC(2026, 10, 26, 10, 0, 0);
  assert.equal(rfc3339(t), '2026-11-26T10:00:00Z');
  assert.equal(rfc3339(t + 999), '2026-11-26T10:00:00Z');
  assert.equal(rfc3339(t + 1000), '2026-11-26T10:00:01Z');
  assert.equal(rfc3339(t + 999), '2026-11-26T10:00:00Z', 'going back a second formats it again');
  assert.equal(rfc3339(Date.UTC(1969, 11, 31, 23, 59, 59) + 500), '1969-12-31T23:59:59Z');
  assert.equal(rfc3339Micro(t + 123), '2026-11-26T10:00:00.123000Z');
  assert.equal(rfc3339(new FakeClock(t + 61_000).now()), '2026-11-26T10:01:01Z');
});
