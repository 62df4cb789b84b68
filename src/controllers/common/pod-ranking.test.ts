import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rankPodsForDeletion, podDeletionCostAnnotation } from './pod-ranking.ts';
import type { Pod } from './types.ts';

function pod(name: string, o: { node?: string; phase?: 'Pending' | 'Running'; ready?: string; created?: string; restarts?: number; cost?: number } = {}): Pod {
  const p: Pod = { metadata: { name, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z' }, spec: {}, status: { phase: o.phase ?? 'Running' } };
  if (o.node) p.spec!.nodeName = o.node;
  if (o.ready) p.status!.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: o.ready }];
  if (o.restarts) p.status!.containerStatuses = [{ name: 'c', restartCount: o.restarts }];
  if (o.cost !== undefined) p.metadata.annotations = { [podDeletionCostAnnotation]: String(o.cost) };
  return p;
}

const names = (ps: Pod[]): string[] => ps.map((p) => p.metadata.name!);

test('unscheduled, then pending, then not ready, then ready pods go first', () => {
  const ranked = rankPodsForDeletion([
    pod('ready', { node: 'n1', ready: '2026-01-01T00:00:00Z' }),
    pod('notready', { node: 'n2' }),
    pod('pending', { node: 'n3', phase: 'Pending' }),
    pod('unscheduled', { phase: 'Pending' }),
  ]);
  assert.deepEqual(names(ranked), ['unscheduled', 'pending', 'notready', 'ready']);
});

test('among ready pods: lower deletion cost, crowded node, recently ready, more restarts, newer go first', () => {
  const t0 = '2026-01-01T00:00:00Z';
  const t1 = '2026-01-01T00:05:00Z';
  assert.deepEqual(names(rankPodsForDeletion([pod('cheap', { node: 'a', ready: t0, cost: -5 }), pod('dear', { node: 'b', ready: t0 })])), ['cheap', 'dear']);
  // two on node a, one on node b: a pod on a goes first
  assert.deepEqual(names(rankPodsForDeletion([pod('alone', { node: 'b', ready: t0 }), pod('crowd1', { node: 'a', ready: t0 }), pod('crowd2', { node: 'a', ready: t0, created: t1 })])), ['crowd2', 'crowd1', 'alone']);
  assert.deepEqual(names(rankPodsForDeletion([pod('old', { node: 'a', ready: t0 }), pod('recent', { node: 'b', ready: t1 })])), ['recent', 'old']);
  assert.deepEqual(names(rankPodsForDeletion([pod('calm', { node: 'a', ready: t0 }), pod('flaky', { node: 'b', ready: t0, restarts: 3 })])), ['flaky', 'calm']);
  assert.deepEqual(names(rankPodsForDeletion([pod('older', { node: 'a', ready: t0 }), pod('newer', { node: 'b', ready: t0, created: t1 })])), ['newer', 'older']);
});
