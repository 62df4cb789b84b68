import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { FakeClock } from '../machinery/clock.ts';
import type { Client } from './interfaces.ts';
import { runLeaderElection, type LeaderElector, type LeaseSpec } from './leader-election.ts';
import { startTestCluster, type TestCluster } from './testing/test-cluster.ts';

const leases = resourceFor('coordination.k8s.io', 'v1', 'leases')!;
const micro = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(() => cluster.stop());

type Candidate = { elector: LeaderElector; started: number; stopped: number };

function candidate(name: string, identity: string, clock: FakeClock, client: Client = cluster.client): Candidate {
  const c: Candidate = { elector: undefined as unknown as LeaderElector, started: 0, stopped: 0 };
  c.elector = runLeaderElection({
    client,
    name,
    identity,
    clock,
    onStartedLeading: () => c.started++,
    onStoppedLeading: () => c.stopped++,
    log: () => {},
  });
  return c;
}

/** Moves fake time in small steps, letting each step's API calls finish, and checks there is never more than one leader. */
async function step(clock: FakeClock, ms: number, cs: Candidate[], until?: () => boolean): Promise<number> {
  const start = clock.now();
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    await Promise.all(cs.map((c) => c.elector.settled()));
    assert.ok(cs.filter((c) => c.elector.isLeader()).length <= 1, 'two leaders at once');
    if (until?.()) break;
  }
  return clock.now() - start;
}

async function lease(name: string): Promise<LeaseSpec> {
  return (await cluster.client.get<KubeObject & { spec: LeaseSpec }>(leases, 'kube-system', name)).spec;
}

describe('leader election', () => {
  it('exactly one of two candidates leads; the other takes over within the lease duration after the first stops renewing', async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 10, 0, 0));
    const a = candidate('ctrl', 'a', clock);
    await a.elector.settled();
    const b = candidate('ctrl', 'b', clock);
    await b.elector.settled();
    assert.equal(a.elector.isLeader(), true);
    assert.equal(b.elector.isLeader(), false);
    let spec = await lease('ctrl');
    assert.equal(spec.holderIdentity, 'a');
    assert.equal(spec.leaseDurationSeconds, 15);
    assert.equal(spec.leaseTransitions, 0);
    assert.equal(spec.acquireTime, '2026-11-26T10:00:00.000000Z');
    await step(clock, 60_000, [a, b]);
    assert.equal(a.elector.isLeader(), true, 'the leader keeps renewing');
    assert.equal(b.started, 0);
    spec = await lease('ctrl');
    assert.match(spec.renewTime!, micro);
    assert.ok(Date.parse(spec.renewTime!) > Date.parse(spec.acquireTime!));
    const lastRenew = Date.parse(spec.renewTime!);
    // a dies without giving the Lease up.
    await a.elector.stop({ release: false });
    const stoppedAt = clock.now();
    await step(clock, 30_000, [a, b], () => b.elector.isLeader());
    assert.equal(b.elector.isLeader(), true);
    assert.equal(b.started, 1);
    assert.ok(clock.now() >= lastRenew + 15_000, 'not before the lease expired');
    assert.ok(clock.now() <= stoppedAt + 15_000 + 2_400 + 100, `took over after ${clock.now() - stoppedAt} ms`);
    spec = await lease('ctrl');
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1);
    assert.equal(a.stopped, 1);
    await b.elector.stop();
    assert.equal(b.stopped, 1);
  });

  it('a released Lease is taken at once', async () => {
    const clock = new FakeClock();
    const a = candidate('rel', 'a', clock);
    await a.elector.settled();
    assert.ok(a.elector.isLeader());
    await a.elector.stop();
    assert.equal((await lease('rel')).holderIdentity, '');
    const b = candidate('rel', 'b', clock);
    await b.elector.settled();
    assert.ok(b.elector.isLeader());
    await b.elector.stop();
  });

  it('a leader that cannot renew steps down within the renew deadline, before anyone may take over', async () => {
    const clock = new FakeClock();
    let broken = false;
    const flaky = new Proxy(cluster.client, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => (broken ? Promise.reject(new Error('connection refused')) : (v as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    const a = candidate('deadline', 'a', clock, flaky);
    await a.elector.settled();
    const b = candidate('deadline', 'b', clock);
    await b.elector.settled();
    assert.ok(a.elector.isLeader());
    await step(clock, 4000, [a, b]);
    broken = true;
    const brokeAt = clock.now();
    await step(clock, 20_000, [a, b], () => !a.elector.isLeader());
    assert.equal(a.stopped, 1);
    const steppedDown = clock.now() - brokeAt;
    assert.ok(steppedDown >= 8000 && steppedDown <= 12_100, `stepped down after ${steppedDown} ms`);
    await step(clock, 20_000, [a, b], () => b.elector.isLeader());
    assert.ok(b.elector.isLeader());
    await a.elector.stop();
    await b.elector.stop();
  });
});
