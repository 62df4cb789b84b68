import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Framework } from '../../framework/framework.ts';
import type { CycleState, Handle } from '../../framework/interface.ts';
import type { PodInfo } from '../../framework/node-info.ts';
import { fakeHandle, nodeInfo, podInfo, Snapshot } from '../../testing/fixtures.ts';
import { makePod } from '../../testing/cluster.ts';
import { inTreePlugins } from '../registry.ts';
import { pickCandidate, selectVictimsOnNode, type Candidate } from './select-victims.ts';

/** A handle running the default plugins, and a cycle state with their PreFilter done for `pod`. */
function handleFor(snap: Snapshot): Handle & { stateFor(pod: PodInfo): CycleState } {
  let fwk: Framework;
  const h = fakeHandle(snap, {
    runFilters: (st, p, n) => fwk.runFilter(st, p, n),
    runAddPod: (st, p, a, n) => fwk.runAddPod(st, p, a, n),
    runRemovePod: (st, p, r, n) => fwk.runRemovePod(st, p, r, n),
    cloneState: (st) => fwk.cloneState(st),
  });
  fwk = new Framework({ schedulerName: 'default-scheduler' }, inTreePlugins, h);
  return {
    ...h,
    stateFor(pod) {
      const st: CycleState = new Map();
      fwk.runPreFilter(st, pod, snap);
      return st;
    },
  };
}

const pod = (name: string, cpu: string, priority: number, labels?: Record<string, string>) => {
  const p = makePod(name, { cpu, ...(labels ? { labels } : {}) });
  p.spec!.priority = priority;
  return p;
};

test('evicts the fewest, lowest-priority pods and reprieves the rest', () => {
  const n = nodeInfo('n', { cpu: '5' }, [pod('a', '1', 1), pod('b', '1', 5), pod('c', '2', 2), pod('vip', '1', 2000)]);
  // 5 cpu, all used, 2 needed: reprieving from the highest priority down, b stays, c (2 cpu) must go, and then a fits back.
  const snap = Snapshot.of([n]);
  const h = handleFor(snap);
  const p = podInfo('p', { cpu: '2', priority: 1000 });
  const r = selectVictimsOnNode(h, h.stateFor(p), p, n, []);
  assert.ok('victims' in r);
  assert.deepEqual(r.victims.map((v) => v.pod.metadata.name), ['c']);
});

test('no lower-priority pods, or not enough room even without them: no victims', () => {
  const n = nodeInfo('n', { cpu: '2' }, [pod('vip', '2', 2000)]);
  const h = handleFor(Snapshot.of([n]));
  const p = podInfo('p', { cpu: '1', priority: 1000 });
  const none = selectVictimsOnNode(h, h.stateFor(p), p, n, []);
  assert.ok(!('victims' in none));
  assert.equal(none.reasons.join(), 'No preemption victims found for incoming pod');
  const small = nodeInfo('s', { cpu: '1' }, [pod('low', '1', 0)]);
  const big = podInfo('p', { cpu: '2', priority: 1000 });
  const h2 = handleFor(Snapshot.of([small]));
  const tooBig = selectVictimsOnNode(h2, h2.stateFor(big), big, small, []);
  assert.ok(!('victims' in tooBig));
  assert.equal(tooBig.reasons.join(), 'Insufficient cpu');
});

test('PodDisruptionBudgets: protected pods are spared when others will do, and candidates compare by violations', () => {
  const n = nodeInfo('n', { cpu: '2' }, [pod('guarded', '1', 1, { app: 'db' }), pod('free', '1', 1)]);
  const h = handleFor(Snapshot.of([n]));
  const pdb = { namespace: 'default', matches: (p: { pod: { metadata: { labels?: Record<string, string> } } }) => p.pod.metadata.labels?.app === 'db', allowed: 0 };
  const p = podInfo('p', { cpu: '1', priority: 1000 });
  const r = selectVictimsOnNode(h, h.stateFor(p), p, n, [pdb]);
  assert.ok('victims' in r);
  assert.deepEqual(r.victims.map((v) => v.pod.metadata.name), ['free']);
  assert.equal(r.pdbViolations, 0);
  const c = (node: string, prios: number[], pdbViolations = 0): Candidate => ({ node, pdbViolations, victims: prios.map((p, i) => podInfo(`${node}${i}`, { priority: p })) });
  assert.equal(pickCandidate([c('a', [5], 1), c('b', [9])])?.node, 'b');
  assert.equal(pickCandidate([c('a', [5, 5]), c('b', [9])])?.node, 'a');
  assert.equal(pickCandidate([c('a', [1, 1, 1]), c('b', [1, 2])])?.node, 'a');
  assert.equal(pickCandidate([c('a', [1, 1]), c('b', [2])])?.node, 'a');
});
