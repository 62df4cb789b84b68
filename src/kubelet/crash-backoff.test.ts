import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashBackoff } from './crash-backoff.ts';

test('first restart is immediate, then 10 s doubling up to 5 minutes', () => {
  const b = new CrashBackoff();
  let t = 1_000_000;
  assert.equal(b.inBackoffSince('c', t, t), false);
  b.next('c', t);
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    const finished = t + 1000;
    assert.equal(b.inBackoffSince('c', finished, finished + 1), true);
    const at = b.retryAt('c', finished);
    delays.push(at - finished);
    assert.equal(b.inBackoffSince('c', finished, at - 1), true);
    assert.equal(b.inBackoffSince('c', finished, at), false);
    t = at;
    b.next('c', t);
  }
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('back-off starts over after a container ran for 10 minutes', () => {
  const b = new CrashBackoff();
  b.next('c', 0);
  b.next('c', 10_000);
  b.next('c', 30_000);
  assert.equal(b.delay('c'), 40_000);
  const finished = 30_000 + 10 * 60_000 + 1;
  assert.equal(b.inBackoffSince('c', finished, finished), false);
  b.next('c', finished);
  assert.equal(b.delay('c'), 10_000);
});
