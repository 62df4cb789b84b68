import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slow-start.ts';

test('batches double: 1, 2, 4, then the rest', async () => {
  // Calls of one batch all start before any of them finishes: group them by completions seen at start.
  let completed = 0;
  const seenAtStart: number[] = [];
  const all = await slowStartBatch(10, 1, async () => {
    seenAtStart.push(completed);
    await Promise.resolve();
    completed++;
  });
  assert.deepEqual(all, { succeeded: 10, errors: [] });
  const sizes = [...new Set(seenAtStart)].map((v) => seenAtStart.filter((x) => x === v).length);
  assert.deepEqual(sizes, [1, 2, 4, 3]);
});

test('nothing starts after a batch with an error', async () => {
  let calls = 0;
  const failing = await slowStartBatch(100, 1, async (i) => {
    calls++;
    if (i === 5) throw new Error('boom');
  });
  // batches 1, 2, 4: the third batch (calls 3..6) holds the failure
  assert.equal(calls, 7);
  assert.equal(failing.succeeded, 6);
  assert.equal(failing.errors.length, 1);
});
