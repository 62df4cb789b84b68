import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../machinery/clock.ts';
import { ControllerExpectations } from './expectations.ts';

describe('ControllerExpectations', () => {
  it('is satisfied with no record, then once every expected creation and deletion is observed', () => {
    const e = new ControllerExpectations(new FakeClock());
    assert.ok(e.satisfied('ns/rs'));
    e.expectCreations('ns/rs', 2);
    assert.ok(!e.satisfied('ns/rs'));
    e.creationObserved('ns/rs');
    assert.ok(!e.satisfied('ns/rs'));
    e.creationObserved('ns/rs');
    assert.ok(e.satisfied('ns/rs'));
    e.expectDeletions('ns/rs', 1);
    assert.ok(!e.satisfied('ns/rs'));
    e.deletionObserved('ns/rs');
    assert.ok(e.satisfied('ns/rs'));
    e.raise('ns/rs', 1, 1);
    assert.deepEqual(e.pending('ns/rs'), { add: 1, del: 1 });
    e.delete('ns/rs');
    assert.ok(e.satisfied('ns/rs'));
    assert.equal(e.pending('ns/rs'), undefined);
  });

  it('expires after 5 minutes', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('k', 3);
    clock.advance(5 * 60 * 1000);
    assert.ok(!e.satisfied('k'));
    clock.advance(1);
    assert.ok(e.satisfied('k'));
  });

  it('counts the deletion of a tracked uid once, and ignores others', () => {
    const e = new ControllerExpectations(new FakeClock());
    e.expectDeletionsOf('k', ['u1', 'u2']);
    e.deletionObserved('k', 'u1');
    e.deletionObserved('k', 'u1');
    e.deletionObserved('k', 'other');
    assert.ok(!e.satisfied('k'));
    e.deletionObserved('k', 'u2');
    assert.ok(e.satisfied('k'));
  });
});
