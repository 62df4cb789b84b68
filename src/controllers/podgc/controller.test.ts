import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { FakeClock } from '../../machinery/clock.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../garbagecollector/test-context.ts';
import { startServiceAccountController } from '../serviceaccount/controller.ts';
import { expireEvents } from '../eventttl/controller.ts';
import { PodGC, type Pod } from './sync.ts';

const r = (g: string, k: string) => resourceForKind(g, k)!;
const clock = new FakeClock(Date.now());
let env: TestControllerEnv;

before(async () => {
  env = await startTestEnv({ clock });
});
after(() => env.stop());

async function pod(name: string, node: string | undefined, phase?: string, finalizers?: string[]): Promise<void> {
  const p = await env.cluster.client.create<Pod>(r('', 'Pod'), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(finalizers ? { finalizers } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(node ? { nodeName: node } : {}) },
  } as Pod);
  if (phase) await env.cluster.client.update(r('', 'Pod'), 'default', { ...p, status: { ...p.status, phase } }, { subresource: 'status' });
}

const podNames = async () => (await env.cluster.client.list(r('', 'Pod'), 'default')).items.map((p) => p.metadata.name).sort();

test('pod GC removes pods of deleted nodes after quarantine and terminated pods beyond the threshold', async () => {
  await env.cluster.client.create(r('', 'Node'), undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'live' } });
  await pod('on-live', 'live');
  await pod('on-ghost', 'ghost');
  // Held by a finalizer (as a Job's tracking finalizer holds its pods), so how it ended can be read.
  await pod('held-on-ghost', 'ghost', 'Running', ['example.com/hold']);
  for (const n of ['done-1', 'done-2', 'done-3']) await pod(n, 'live', 'Succeeded');
  const pods = env.ctx.informers.informerFor<Pod>(r('', 'Pod'));
  const nodes = env.ctx.informers.informerFor(r('', 'Node'));
  env.ctx.informers.start();
  await env.ctx.informers.waitForSync();
  await eventually(() => pods.lister.list('default').filter((p) => p.status?.phase === 'Succeeded').length === 3);
  const gc = new PodGC(env.cluster.client, pods.lister, nodes.lister, () => clock.now(), { terminatedPodGCThreshold: 1, quarantineMs: 40_000 });
  assert.equal(await gc.run(), 2);
  assert.deepEqual(await podNames(), ['done-3', 'held-on-ghost', 'on-ghost', 'on-live']);
  clock.advance(41_000);
  assert.equal(await gc.run(), 2);
  assert.deepEqual(await podNames(), ['done-3', 'held-on-ghost', 'on-live']);
  const held = await env.cluster.client.get<Pod & { status: { conditions?: { type: string; reason?: string; message?: string }[] } }>(r('', 'Pod'), 'default', 'held-on-ghost');
  assert.ok(held.metadata.deletionTimestamp);
  assert.equal(held.status.phase, 'Failed');
  const c = held.status.conditions?.find((x) => x.type === 'DisruptionTarget');
  assert.deepEqual([c?.reason, c?.message], ['DeletionByPodGC', 'PodGC: node no longer exists']);
  await env.cluster.client.patch(r('', 'Pod'), 'default', 'held-on-ghost', 'merge', { metadata: { finalizers: null } });
});

test('every namespace gets a default ServiceAccount, recreated when deleted', async () => {
  const sa = startServiceAccountController(env.ctx);
  env.ctx.informers.start();
  await env.cluster.client.create(r('', 'Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  const get = () => env.cluster.client.get(r('', 'ServiceAccount'), 'apps', 'default');
  await eventually(get, 5000, 'default SA in apps');
  await eventually(() => env.cluster.client.get(r('', 'ServiceAccount'), 'kube-system', 'default'), 5000, 'default SA in kube-system');
  const before = await get();
  await env.cluster.client.delete(r('', 'ServiceAccount'), 'apps', 'default');
  const again = await eventually(async () => {
    const s = await get();
    return s.metadata.uid !== before.metadata.uid ? s : undefined;
  }, 5000, 'default SA recreated');
  assert.ok(again);
  await sa.stop();
});

test('events older than the TTL are deleted, newer ones kept', async () => {
  const ev = (name: string, lastTimestamp: string) =>
    env.cluster.client.create(r('', 'Event'), 'default', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name },
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'x' },
      reason: 'Test',
      message: 'm',
      type: 'Normal',
      lastTimestamp,
      firstTimestamp: lastTimestamp,
    });
  const now = Date.now();
  await ev('old', new Date(now - 2 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'));
  await ev('fresh', new Date(now - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
  assert.equal(await expireEvents(env.cluster.client, now, 3_600_000), 1);
  assert.deepEqual((await env.cluster.client.list(r('', 'Event'), 'default')).items.map((e) => e.metadata.name), ['fresh']);
});
