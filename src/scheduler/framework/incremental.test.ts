// The running sums must always equal a sum recomputed from scratch, whatever the
// sequence of pod and node changes between cycles.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SchedulerCache } from '../cache/cache.ts';
import { Snapshot } from '../cache/snapshot.ts';
import { makeNode, makePod } from '../testing/cluster.ts';
import { IncrementalAggregates } from './incremental.ts';

const sumByZone = () =>
  new IncrementalAggregates<Map<string, number>, [string, number]>({
    empty: () => new Map(),
    add(agg, [zone, n], sign) {
      agg.set(zone, (agg.get(zone) ?? 0) + sign * n);
    },
  });

const contribution = (node: { labels(): Readonly<Record<string, string>>; pods: { pod: { metadata: { labels?: Record<string, string> } } }[] }): [string, number] => [
  node.labels().zone ?? '-',
  node.pods.filter((p) => p.pod.metadata.labels?.app === 'web').length,
];

const op = fc.oneof(
  fc.record({ kind: fc.constant('addPod' as const), pod: fc.integer({ min: 0, max: 15 }), node: fc.integer({ min: 0, max: 5 }), web: fc.boolean() }),
  fc.record({ kind: fc.constant('removePod' as const), pod: fc.integer({ min: 0, max: 15 }) }),
  fc.record({ kind: fc.constant('addNode' as const), node: fc.integer({ min: 0, max: 5 }), zone: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('removeNode' as const), node: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ kind: fc.constant('cycle' as const) }),
);

test('incremental sums equal sums recomputed from scratch', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
      const cache = new SchedulerCache();
      const snap = new Snapshot();
      const sums = sumByZone();
      const placed = new Map<number, ReturnType<typeof makePod>>();
      const check = () => {
        cache.updateSnapshot(snap);
        const got = new Map([...sums.get(snap, 'k', contribution)].filter(([, n]) => n !== 0));
        const want = new Map<string, number>();
        for (const n of snap.nodeInfoList) {
          const [z, c] = contribution(n);
          if (c !== 0) want.set(z, (want.get(z) ?? 0) + c);
        }
        assert.deepEqual(got, want);
      };
      for (const o of ops) {
        if (o.kind === 'addPod') {
          const p = makePod(`p${o.pod}`, { labels: { app: o.web ? 'web' : 'db' }, spec: { nodeName: `n${o.node}` } });
          placed.set(o.pod, p);
          cache.addPod(p);
        } else if (o.kind === 'removePod') {
          const p = placed.get(o.pod);
          if (p) cache.removePod(p);
          placed.delete(o.pod);
        } else if (o.kind === 'addNode') cache.addNode(makeNode(`n${o.node}`, { labels: { zone: `z${o.zone}` } }));
        else if (o.kind === 'removeNode') cache.removeNode(makeNode(`n${o.node}`));
        else check();
      }
      check();
    }),
  );
});
