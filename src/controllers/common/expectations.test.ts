import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { ControllerExpectations, expectationsTimeoutMs } from './expectations.ts';

test('satisfied once every expected create and delete is observed, each delete once', () => {
  const e = new ControllerExpectations(new FakeClock());
  assert.equal(e.satisfied('ns/a'), true);
  e.expectCreations('ns/a', 2);
  assert.equal(e.satisfied('ns/a'), false);
  e.creationObserved('ns/a');
  e.creationObserved('ns/a');
  assert.equal(e.satisfied('ns/a'), true);
  e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']);
  e.deletionObserved('ns/a', 'ns/p1');
  e.deletionObserved('ns/a', 'ns/p1');
  assert.equal(e.satisfied('ns/a'), false);
  e.deletionObserved('ns/a', 'ns/p2');
  assert.equal(e.satisfied('ns/a'), true);
});

test('expectations expire so a lost event cannot wedge a controller', () => {
  const clock = new FakeClock();
  const e = new ControllerExpectations(clock);
  e.expectCreations('ns/a', 1);
  clock.advance(expectationsTimeoutMs);
  assert.equal(e.satisfied('ns/a'), false);
  clock.advance(1);
  assert.equal(e.satisfied('ns/a'), true);
});
