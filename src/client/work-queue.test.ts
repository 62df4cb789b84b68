import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../machinery/clock.ts';
import { RateLimitedQueue } from './work-queue.ts';
import { ExponentialBackoff, TokenBucket, defaultControllerRateLimiter } from './rate-limiter.ts';
import { runWorkers } from './run-workers.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('RateLimitedQueue', () => {
  it('hands keys out in order, once each, however often they were added', async () => {
    const q = new RateLimitedQueue({ clock: new FakeClock() });
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    assert.equal(q.len(), 3);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
    assert.equal(q.len(), 0);
  });

  it('never hands a key to two workers: an add during processing waits for done()', async () => {
    const q = new RateLimitedQueue({ clock: new FakeClock() });
    q.add('a');
    const k = await q.get();
    assert.equal(k, 'a');
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0);
    let second: string | undefined;
    void q.get().then((x) => (second = x));
    await tick();
    assert.equal(second, undefined);
    q.done('a');
    await tick();
    assert.equal(second, 'a');
    q.done('a');
    assert.equal(q.len(), 0);
    assert.equal(q.processingCount(), 0);
  });

  it('addAfter fires on the clock and keeps the earliest time of a key', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedQueue({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 300);
    q.addAfter('a', 5000);
    q.addAfter('b', 0);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'b');
    clock.advance(299);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(await q.get(), 'a');
    q.done('a');
    clock.advance(10_000);
    assert.equal(q.len(), 0, 'the later timers were dropped');
  });

  it('backs a failing key off exponentially from 5 ms and forget() resets it', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedQueue<string>({ clock, rateLimiter: new ExponentialBackoff(5, 1_000_000) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = q.len();
      q.addRateLimited('k');
      let waited = 0;
      while (q.len() === before && waited < 10_000) {
        clock.advance(1);
        waited++;
      }
      delays.push(waited);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [5, 10, 20, 40, 80]);
    assert.equal(q.numRequeues('k'), 5);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });

  it('caps the back-off at 1000 s', () => {
    const b = new ExponentialBackoff<string>(5, 1_000_000);
    let last = 0;
    for (let i = 0; i < 2000; i++) last = b.when('x');
    assert.equal(last, 1_000_000);
  });

  it('the overall bucket allows a burst of 100 then 10 per second', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket<string>(clock, 10, 100);
    for (let i = 0; i < 100; i++) assert.equal(bucket.when(`k${i}`), 0);
    assert.equal(bucket.when('k100'), 100);
    assert.equal(bucket.when('k101'), 200);
    clock.advance(1000);
    // 10 tokens came back, two of which were owed.
    assert.equal(bucket.when('k102'), 0);
    const limiter = defaultControllerRateLimiter<string>(new FakeClock());
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('a'), 10);
  });

  it('after shutDown hands out what is queued, then undefined; pending waiters wake', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedQueue({ clock });
    const idle = q.get();
    q.shutDown();
    assert.equal(await idle, undefined);
    const q2 = new RateLimitedQueue({ clock });
    q2.add('a');
    q2.addAfter('later', 100);
    q2.shutDown();
    q2.add('b');
    assert.equal(await q2.get(), 'a');
    assert.equal(await q2.get(), undefined);
    clock.advance(1000);
    assert.equal(q2.len(), 0);
  });
});

describe('runWorkers', () => {
  it('reconciles keys with n workers, retries failures with back-off, and stops gracefully', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedQueue<string>({ clock });
    const logs: string[] = [];
    const synced: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let failuresLeft = 2;
    const done = runWorkers(
      q,
      3,
      async (key) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await tick();
        inFlight--;
        if (key === 'flaky' && failuresLeft-- > 0) throw new Error('boom');
        synced.push(key);
      },
      { name: 'test', log: (l) => logs.push(l) },
    );
    for (const k of ['a', 'b', 'c', 'd', 'flaky']) q.add(k);
    for (let i = 0; i < 20; i++) await tick();
    assert.deepEqual(synced.sort(), ['a', 'b', 'c', 'd']);
    assert.equal(maxInFlight, 3);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /test: error syncing "flaky": boom/);
    clock.advance(5);
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(logs.length, 2);
    clock.advance(9);
    for (let i = 0; i < 10; i++) await tick();
    assert.ok(!synced.includes('flaky'), 'second retry waits 10 ms');
    clock.advance(1);
    for (let i = 0; i < 10; i++) await tick();
    assert.ok(synced.includes('flaky'));
    assert.equal(q.numRequeues('flaky'), 0, 'success forgets the back-off');
    q.add('last');
    q.shutDown();
    await done;
    assert.ok(synced.includes('last'), 'a key queued before shutdown is still reconciled');
  });
});
