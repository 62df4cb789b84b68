import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorFromSet } from '../../../machinery/labels.ts';
import { fakeHandle, filterAll, nodeInfo, podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { makePod } from '../../testing/cluster.ts';
import { Code } from '../../framework/status.ts';
import type { TopologySpreadConstraint } from '../../types.ts';
import { podTopologySpread } from './pod-topology-spread.ts';

const web = (name: string) => makePod(name, { labels: { app: 'web' } });
const zoneSpread = (extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew: 1,
  topologyKey: 'zone',
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});

// z1 has 2 web pods, z2 has 1, z3 none; node "nolabel" has no zone.
const snap = Snapshot.of([
  nodeInfo('a', { labels: { zone: 'z1' } }, [web('w1'), web('w2')]),
  nodeInfo('b', { labels: { zone: 'z2' } }, [web('w3'), makePod('other', { labels: { app: 'db' } })]),
  nodeInfo('c', { labels: { zone: 'z3' } }),
  nodeInfo('nolabel'),
]);

test('DoNotSchedule keeps the skew within maxSkew', () => {
  const plugin = podTopologySpread({}, fakeHandle(snap));
  const pod = podInfo('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread()] } });
  const r = filterAll(plugin, pod, snap);
  assert.deepEqual(r.passed, ['c']);
  assert.deepEqual(r.rejected.get('a'), { code: Code.Unschedulable, reasons: "node(s) didn't match pod topology spread constraints" });
  assert.deepEqual(r.rejected.get('nolabel'), { code: Code.UnschedulableAndUnresolvable, reasons: "node(s) didn't match pod topology spread constraints (missing required label)" });
  const loose = podInfo('q', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread({ maxSkew: 2 })] } });
  assert.deepEqual(filterAll(plugin, loose, snap).passed, ['b', 'c']);
});

test('minDomains: fewer domains than asked means a global minimum of 0', () => {
  const plugin = podTopologySpread({}, fakeHandle(snap));
  const pod = podInfo('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread({ maxSkew: 2, minDomains: 5 })] } });
  assert.deepEqual(filterAll(plugin, pod, snap).passed, ['b', 'c']);
  const strict = podInfo('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread({ maxSkew: 1, minDomains: 5 })] } });
  assert.deepEqual(filterAll(plugin, strict, snap).passed, ['c']);
});

test('nodeAffinityPolicy Honor counts only nodes the pod may go to', () => {
  const plugin = podTopologySpread({}, fakeHandle(snap));
  // Only z1 is eligible, so its 2 pods are the minimum and z1 may take one more
  // (other zones fall to NodeAffinity's filter, not this one).
  const pod = podInfo('p', { labels: { app: 'web' }, spec: { nodeSelector: { zone: 'z1' }, topologySpreadConstraints: [zoneSpread()] } });
  assert.deepEqual(filterAll(plugin, pod, snap).passed, ['a', 'b', 'c']);
  const ignore = podInfo('p', { labels: { app: 'web' }, spec: { nodeSelector: { zone: 'z1' }, topologySpreadConstraints: [zoneSpread({ nodeAffinityPolicy: 'Ignore' })] } });
  assert.deepEqual(filterAll(plugin, ignore, snap).passed, ['c']);
});

test('ScheduleAnyway scores emptier domains higher', () => {
  const plugin = podTopologySpread({}, fakeHandle(snap));
  const pod = podInfo('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread({ whenUnsatisfiable: 'ScheduleAnyway' })] } });
  const s = scoreAll(plugin, pod, snap);
  assert.ok(s.get('c')! > s.get('b')! && s.get('b')! > s.get('a')!);
  assert.equal(s.get('c'), 100);
  assert.equal(s.get('nolabel'), 0);
});

test('cluster default constraints apply to pods owned by a service or controller', () => {
  const hostSnap = Snapshot.of([nodeInfo('a', { labels: { zone: 'z1' } }, [web('w1'), web('w2')]), nodeInfo('b', { labels: { zone: 'z1' } })]);
  const args = { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }] };
  const withSelector = podTopologySpread(args, fakeHandle(hostSnap, { defaultSpreadSelector: () => selectorFromSet({ app: 'web' }) }));
  assert.deepEqual(filterAll(withSelector, podInfo('p', { labels: { app: 'web' } }), hostSnap).passed, ['b']);
  const noOwner = podTopologySpread(args, fakeHandle(hostSnap));
  assert.deepEqual(filterAll(noOwner, podInfo('p', { labels: { app: 'web' } }), hostSnap).passed, ['a', 'b']);
});

test('a topology key named like an inherited property is a label like any other', () => {
  const ctorSnap = Snapshot.of([nodeInfo('a', { labels: { constructor: 'z1' } }, [web('w1')]), nodeInfo('c', { labels: { constructor: 'z2' } }), nodeInfo('nolabel')]);
  const plugin = podTopologySpread({}, fakeHandle(ctorSnap));
  const pod = podInfo('p', { labels: { app: 'web' }, spec: { topologySpreadConstraints: [zoneSpread({ topologyKey: 'constructor', matchLabelKeys: ['toString'] })] } });
  const r = filterAll(plugin, pod, ctorSnap);
  assert.deepEqual(r.passed, ['c']);
  assert.equal(r.rejected.get('nolabel')?.code, Code.UnschedulableAndUnresolvable);
});
