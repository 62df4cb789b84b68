import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EventHistory } from './event-history.ts';

const ev = (revision: number) => ({ type: 'ADDED' as const, key: `/k/${revision}`, object: revision, revision });

it('returns the events after a revision while they are in the window', () => {
  const h = new EventHistory<number>(3);
  h.reset(10);
  assert.deepEqual(h.since(10), []);
  assert.equal(h.since(9), undefined);
  for (const r of [11, 13, 14]) h.push(ev(r));
  assert.deepEqual(h.since(10)?.map((e) => e.revision), [11, 13, 14]);
  assert.deepEqual(h.since(12)?.map((e) => e.revision), [13, 14]);
  h.push(ev(20));
  // 11 left the window: resuming after 10 would miss it, after 11 is complete.
  assert.equal(h.since(10), undefined);
  assert.deepEqual(h.since(11)?.map((e) => e.revision), [13, 14, 20]);
  for (let r = 21; r < 40; r++) h.push(ev(r));
  assert.deepEqual(h.since(36)?.map((e) => e.revision), [37, 38, 39]);
  assert.equal(h.since(35), undefined);
  assert.equal(h.complete, 36);
});
