import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { podInfo } from '../testing/fixtures.ts';
import type { ClusterEvent } from '../framework/interface.ts';
import { SchedulingQueue } from './scheduling-queue.ts';

const events = new Map<string, Set<ClusterEvent>>([
  ['NodeResourcesFit', new Set<ClusterEvent>(['NodeAdd', 'AssignedPodDelete'])],
  ['TaintToleration', new Set<ClusterEvent>(['NodeAdd', 'NodeUpdate'])],
]);

test('active pods come out by priority, then by age', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock);
  q.add(podInfo('old-low', { priority: 0 }));
  clock.advance(10);
  q.add(podInfo('high', { priority: 100 }));
  clock.advance(10);
  q.add(podInfo('new-low', { priority: 0 }));
  assert.deepEqual([(await q.pop())!.pi.key, (await q.pop())!.pi.key, (await q.pop())!.pi.key], ['default/high', 'default/old-low', 'default/new-low']);
  q.close();
});

test('pop waits for a pod; close releases waiters', async () => {
  const q = new SchedulingQueue(new FakeClock());
  const waiting = q.pop();
  q.add(podInfo('p'));
  assert.equal((await waiting)?.pi.key, 'default/p');
  const never = q.pop();
  q.close();
  assert.equal(await never, undefined);
});

test('back-off doubles from 1 s to at most 10 s per attempt', () => {
  const q = new SchedulingQueue(new FakeClock());
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => q.backoffFor(a)), [1000, 2000, 4000, 8000, 10000, 10000]);
  q.close();
});

test('an unschedulable pod sleeps until an event its plugins care about, then backs off', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock, { pluginEvents: events });
  q.add(podInfo('p'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['TaintToleration']);
  q.addUnschedulable(qp, q.schedulingCycleNow());
  assert.deepEqual(q.sizes(), { active: 0, backoff: 0, unschedulable: 1, inFlight: 0 });
  q.onEvent('AssignedPodDelete');
  assert.equal(q.sizes().unschedulable, 1, 'an unrelated event leaves it asleep');
  q.onEvent('NodeUpdate');
  // Still within its 1 s back-off: it waits in the back-off queue first.
  assert.deepEqual(q.sizes(), { active: 0, backoff: 1, unschedulable: 0, inFlight: 0 });
  clock.advance(1000);
  assert.equal(q.popNow()?.pi.key, 'default/p');
  q.close();
});

test('a pod that failed while an event came goes to back-off, not to sleep', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock, { pluginEvents: events });
  q.add(podInfo('p'));
  const qp = (await q.pop())!;
  const cycle = q.schedulingCycleNow();
  q.onEvent('NodeAdd');
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulable(qp, cycle);
  assert.equal(q.sizes().backoff, 1);
  q.close();
});

test('unschedulable pods are retried after 5 minutes without any event', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock, { pluginEvents: events });
  q.add(podInfo('p'));
  const qp = (await q.pop())!;
  qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulable(qp, q.schedulingCycleNow());
  clock.advance(4 * 60_000);
  assert.equal(q.sizes().unschedulable, 1);
  clock.advance(61_000);
  assert.equal(q.sizes().unschedulable, 0);
  assert.equal(q.popNow()?.pi.key, 'default/p');
  q.close();
});

test('errors back off; deleted pods leave every queue', async () => {
  const clock = new FakeClock();
  const q = new SchedulingQueue(clock);
  q.add(podInfo('p'));
  const qp = (await q.pop())!;
  q.addUnschedulable(qp, q.schedulingCycleNow(), true);
  assert.equal(q.sizes().backoff, 1);
  q.delete('default/p');
  assert.deepEqual(q.sizes(), { active: 0, backoff: 0, unschedulable: 0, inFlight: 0 });
  clock.advance(2000);
  assert.equal(q.popNow(), undefined);
  q.close();
});
