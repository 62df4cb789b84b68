import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../machinery/clock.ts';
import { TokenBucket } from './rate-limiter.ts';
import { noExecuteDelayMs, tolerates, type Node, type Taint } from './taints.ts';
import { zoneRate, zoneState } from './zones.ts';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const custom: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoExecute' };

test('tolerations match by key, operator, value and effect', () => {
  assert.equal(tolerates({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, custom), true);
  assert.equal(tolerates({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, custom), false);
  assert.equal(tolerates({ operator: 'Exists' }, custom), true);
  assert.equal(tolerates({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, custom), false);
});

test('eviction delay: untolerated now, the smallest tolerationSeconds, forever without seconds', () => {
  assert.equal(noExecuteDelayMs([], [unreachable]), 0);
  assert.equal(noExecuteDelayMs([{ key: unreachable.key, operator: 'Exists', tolerationSeconds: 300 }], [unreachable, custom]), 0);
  assert.equal(
    noExecuteDelayMs([{ key: unreachable.key, operator: 'Exists', tolerationSeconds: 300 }, { operator: 'Exists', tolerationSeconds: 60 }], [unreachable]),
    60_000,
  );
  assert.equal(noExecuteDelayMs([{ operator: 'Exists' }], [unreachable, custom]), Infinity);
  assert.equal(noExecuteDelayMs([], [{ key: 'x', effect: 'NoSchedule' }]), Infinity);
});

const node = (ready: 'True' | 'False' | 'Unknown'): Node => ({ metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: ready }] } });

test('zone states and their tainting rates', () => {
  const opts = { nodeEvictionRate: 0.1, secondaryNodeEvictionRate: 0.01, largeClusterSizeThreshold: 50 };
  assert.equal(zoneState([node('True'), node('Unknown')], 0.55), 'Normal');
  assert.equal(zoneState([node('Unknown'), node('False')], 0.55), 'FullDisruption');
  assert.equal(zoneState([node('True'), node('Unknown'), node('Unknown'), node('Unknown')], 0.55), 'PartialDisruption');
  assert.equal(zoneRate('PartialDisruption', 10, opts), 0);
  assert.equal(zoneRate('PartialDisruption', 100, opts), 0.01);
  assert.equal(zoneRate('FullDisruption', 10, opts), 0.1);
});

test('the token bucket hands out qps tokens a second in fake time', () => {
  const clock = new FakeClock();
  const b = new TokenBucket(clock, 0.5);
  assert.equal(b.tryAccept(), true);
  assert.equal(b.tryAccept(), false);
  clock.advance(1999);
  assert.equal(b.tryAccept(), false);
  clock.advance(1);
  assert.equal(b.tryAccept(), true);
  b.setRate(0);
  clock.advance(60_000);
  assert.equal(b.tryAccept(), false);
});
