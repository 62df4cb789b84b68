import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive, isPodAvailable, isPodReady, nextAvailableInMs } from './pod-state.ts';
import type { Pod } from './types.ts';

const readySince = (t: string): Pod => ({ metadata: { name: 'p' }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] } });

test('available means ready for minReadySeconds', () => {
  const p = readySince('2026-01-01T00:00:00Z');
  const t0 = Date.UTC(2026, 0, 1);
  assert.equal(isPodReady(p), true);
  assert.equal(isPodAvailable(p, 0, t0), true);
  assert.equal(isPodAvailable(p, 10, t0 + 9_000), false);
  assert.equal(isPodAvailable(p, 10, t0 + 10_000), true);
  assert.equal(nextAvailableInMs([p], 10, t0 + 4_000), 7_000);
  assert.equal(nextAvailableInMs([p], 10, t0 + 11_000), undefined);
  assert.equal(isPodAvailable({ metadata: {}, status: { phase: 'Running' } }, 0, t0), false);
});

test('finished or terminating pods are not active', () => {
  assert.equal(isPodActive({ metadata: {}, status: { phase: 'Running' } }), true);
  assert.equal(isPodActive({ metadata: {}, status: { phase: 'Succeeded' } }), false);
  assert.equal(isPodActive({ metadata: {}, status: { phase: 'Failed' } }), false);
  assert.equal(isPodActive({ metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } }), false);
});
