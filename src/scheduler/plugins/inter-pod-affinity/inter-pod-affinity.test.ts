import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeHandle, filterAll, nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { makePod } from '../../testing/cluster.ts';
import type { PodAffinityTerm } from '../../types.ts';
import { interPodAffinity } from './inter-pod-affinity.ts';

const term = (labels: Record<string, string>, topologyKey = 'zone', extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({ labelSelector: { matchLabels: labels }, topologyKey, ...extra });

const snap = Snapshot.of([
  nodeInfo('a', { labels: { zone: 'z1' } }, [makePod('db', { labels: { app: 'db' } })]),
  nodeInfo('b', { labels: { zone: 'z1' } }),
  nodeInfo('c', { labels: { zone: 'z2' } }, [makePod('cache', { labels: { app: 'cache' }, namespace: 'other' })]),
  nodeInfo('d', { labels: { zone: 'z3' } }),
]);
const plugin = () => interPodAffinity({}, fakeHandle(snap, { namespaceLabels: (ns) => (ns === 'other' ? { team: 'x' } : {}) }));

test('required affinity: same topology domain as a matching pod', () => {
  const pod = podInfo('p', { spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } } } });
  const r = filterAll(plugin(), pod, snap);
  assert.deepEqual(r.passed, ['a', 'b']);
  assert.equal(r.rejected.get('c')?.reasons, "node(s) didn't match pod affinity rules");
});

test('required affinity: the first pod of a group that matches itself may go anywhere', () => {
  const pod = podInfo('p', { labels: { app: 'new' }, spec: { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'new' })] } } } });
  assert.deepEqual(filterAll(plugin(), pod, snap).passed, ['a', 'b', 'c', 'd']);
});

test('required anti-affinity: away from matching pods, per topology key', () => {
  const zone = podInfo('p', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' })] } } } });
  const r = filterAll(plugin(), zone, snap);
  assert.deepEqual(r.passed, ['c', 'd']);
  assert.equal(r.rejected.get('b')?.reasons, "node(s) didn't match pod anti-affinity rules");
  const host = podInfo('p', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, 'kubernetes.io/hostname')] } } } });
  assert.deepEqual(filterAll(plugin(), host, snap).passed, ['b', 'c', 'd']);
});

test('namespaces and namespaceSelector choose whose pods count', () => {
  const same = podInfo('p', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' })] } } } });
  assert.equal(filterAll(plugin(), same, snap).passed.length, 4);
  const named = podInfo('p', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, 'zone', { namespaces: ['other'] })] } } } });
  assert.deepEqual(filterAll(plugin(), named, snap).passed, ['a', 'b', 'd']);
  const bySelector = podInfo('p', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'cache' }, 'zone', { namespaceSelector: { matchLabels: { team: 'x' } } })] } } } });
  assert.deepEqual(filterAll(plugin(), bySelector, snap).passed, ['a', 'b', 'd']);
});

test("existing pods' anti-affinity keeps matching pods away", () => {
  const guarded = Snapshot.of([
    nodeInfo('a', { labels: { zone: 'z1' } }, [makePod('loner', { spec: { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' })] } } } })]),
    nodeInfo('b', { labels: { zone: 'z1' } }),
    nodeInfo('c', { labels: { zone: 'z2' } }),
  ]);
  const r = filterAll(interPodAffinity({}, fakeHandle(guarded)), podInfo('p', { labels: { app: 'web' } }), guarded);
  assert.deepEqual(r.passed, ['c']);
  assert.equal(r.rejected.get('b')?.reasons, "node(s) didn't satisfy existing pods anti-affinity rules");
  assert.equal(filterAll(interPodAffinity({}, fakeHandle(guarded)), podInfo('q', { labels: { app: 'db' } }), guarded).passed.length, 3);
});

test('preferred affinity and anti-affinity score by weight', () => {
  const pod = podInfo('p', {
    spec: {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term({ app: 'db' }) }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, podAffinityTerm: term({ app: 'cache' }, 'zone', { namespaces: ['other'] }) }] },
      },
    },
  });
  const s = scoreAll(plugin(), pod, snap);
  assert.equal(s.get('a'), 100);
  assert.equal(s.get('b'), 100);
  assert.equal(s.get('c'), 0);
  assert.equal(s.get('d'), Math.floor((100 * 20) / 70));
});
