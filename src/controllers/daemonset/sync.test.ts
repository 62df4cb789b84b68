import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import type { Pod } from '../common/types.ts';
import type { ControllerRevision } from '../history/revisions.ts';
import { podTemplate, startSyncEnv, type SyncEnv } from '../statefulset/test-env.ts';
import { targetNodeOf } from './eligibility.ts';
import { syncDaemonSet, type DaemonSetSyncDeps } from './sync.ts';
import type { DaemonSet, Node, Taint } from './types.ts';

const dsets = resourceForKind('apps', 'DaemonSet')!;
const nodes = resourceForKind('', 'Node')!;
let env: SyncEnv;
let deps: DaemonSetSyncDeps;

before(async () => {
  env = await startSyncEnv();
  deps = {
    client: env.client,
    clock: env.clock,
    daemonsets: env.lister<DaemonSet>('apps', 'DaemonSet'),
    pods: env.lister<Pod>('', 'Pod'),
    nodes: env.lister<Node>('', 'Node'),
    revisions: env.lister<ControllerRevision>('apps', 'ControllerRevision'),
    expectations: new ControllerExpectations(env.clock),
    recorder: env.recorder,
    requeueAfter: env.requeueAfter,
  };
});
after(() => env.stop());

const addNode = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []) =>
  env.client.create<Node>(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } });

async function createDs(name: string, spec: Record<string, unknown> = {}, tpl = podTemplate({ app: name })): Promise<DaemonSet> {
  return env.client.create<DaemonSet>(dsets, 'default', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: tpl, ...spec },
  });
}

async function sync(name: string): Promise<DaemonSet> {
  await env.refresh();
  deps.expectations.delete(`default/${name}`);
  deps.expectations.delete(`delete:default/${name}`);
  await syncDaemonSet(deps, `default/${name}`);
  return env.client.get<DaemonSet>(dsets, 'default', name);
}

const podsOf = async (ds: string): Promise<Pod[]> => (await env.pods()).filter((p) => p.metadata.labels?.['app'] === ds && !p.metadata.deletionTimestamp);
const placed = async (ds: string): Promise<string[]> => (await podsOf(ds)).map((p) => targetNodeOf(p) ?? '?').sort();

test('one pod per node, pinned by node affinity, with the daemon tolerations; a new node gets one', async () => {
  for (let i = 1; i <= 5; i++) await addNode(`n${i}`);
  await createDs('agent');
  await sync('agent');
  assert.deepEqual(await placed('agent'), ['n1', 'n2', 'n3', 'n4', 'n5']);
  let ds = await sync('agent');
  const [p] = await podsOf('agent');
  const spec = p!.spec as { affinity?: unknown; tolerations?: { key?: string; effect?: string }[] };
  assert.deepEqual((spec.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: unknown } }).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeOf(p!)] }] }],
  });
  const keys = spec.tolerations?.map((t) => `${t.key}:${t.effect}`) ?? [];
  for (const k of ['not-ready:NoExecute', 'unreachable:NoExecute', 'disk-pressure:NoSchedule', 'memory-pressure:NoSchedule', 'pid-pressure:NoSchedule', 'unschedulable:NoSchedule']) {
    assert.ok(keys.includes(`node.kubernetes.io/${k}`), k);
  }
  assert.equal(ds.status?.desiredNumberScheduled, 5);
  assert.equal(ds.status?.currentNumberScheduled, 5);
  assert.equal((await podsOf('agent')).length, 5, 'a second sync creates nothing more');
  await addNode('n6');
  ds = await sync('agent');
  assert.deepEqual(await placed('agent'), ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  for (const p of await podsOf('agent')) await env.setPodStatus(p, 'Running');
  ds = await sync('agent');
  assert.equal(ds.status?.numberReady, 6);
  assert.equal(ds.status?.numberAvailable, 6);
  assert.equal(ds.status?.updatedNumberScheduled, 6);
  await env.client.delete(nodes, undefined, 'n6');
  await sync('agent');
  assert.deepEqual(await placed('agent'), ['n1', 'n2', 'n3', 'n4', 'n5'], 'a removed node loses its pod');
});

test('node selector and taints decide eligibility', async () => {
  await addNode('gpu1', { gpu: 'yes' });
  await addNode('gpu2', { gpu: 'yes' }, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  await addNode('gpu3', { gpu: 'yes' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  const tpl = podTemplate({ app: 'gpu' });
  (tpl.spec as Record<string, unknown>)['nodeSelector'] = { gpu: 'yes' };
  await createDs('gpu', {}, tpl);
  const ds = await sync('gpu');
  assert.deepEqual(await placed('gpu'), ['gpu1', 'gpu3'], 'untolerated taint keeps it off gpu2; unschedulable is tolerated');
  assert.equal(ds.status?.desiredNumberScheduled, 2);
});

test('rolling update with maxUnavailable 1 replaces one node at a time', async () => {
  await createDs('roll', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }, (() => {
    const t = podTemplate({ app: 'roll' });
    (t.spec as Record<string, unknown>)['nodeSelector'] = { gpu: 'yes' };
    return t;
  })());
  await sync('roll');
  for (const p of await podsOf('roll')) await env.setPodStatus(p, 'Running');
  await sync('roll');
  await env.client.patch(dsets, 'default', 'roll', 'merge', { spec: { template: { metadata: { labels: { app: 'roll', v: '2' } } } } });
  let ds = await sync('roll');
  assert.equal((await podsOf('roll')).length, 1, 'one old pod deleted');
  ds = await sync('roll');
  assert.equal((await podsOf('roll')).filter((p) => p.metadata.labels?.['v'] === '2').length, 1, 'its replacement has the new template');
  ds = await sync('roll');
  assert.equal((await podsOf('roll')).length, 2, 'waits: the new pod is not available yet');
  for (const p of await podsOf('roll')) if (p.status?.phase !== 'Running') await env.setPodStatus(p, 'Running');
  await sync('roll');
  await sync('roll');
  for (const p of await podsOf('roll')) if (p.status?.phase !== 'Running') await env.setPodStatus(p, 'Running');
  ds = await sync('roll');
  assert.deepEqual((await podsOf('roll')).map((p) => p.metadata.labels?.['v']), ['2', '2']);
  assert.equal(ds.status?.updatedNumberScheduled, 2);
});

test('rolling update with maxSurge starts the new pod beside the old one and removes the old once available', async () => {
  await addNode('solo', { role: 'solo' });
  const t = podTemplate({ app: 'surge' });
  (t.spec as Record<string, unknown>)['nodeSelector'] = { role: 'solo' };
  await createDs('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }, t);
  await sync('surge');
  for (const p of await podsOf('surge')) await env.setPodStatus(p, 'Running');
  await env.client.patch(dsets, 'default', 'surge', 'merge', { spec: { template: { metadata: { labels: { app: 'surge', v: '2' } } } } });
  await sync('surge');
  let pods = await podsOf('surge');
  assert.deepEqual(pods.map((p) => p.metadata.labels?.['v'] ?? '1').sort(), ['1', '2'], 'old and new side by side');
  await sync('surge');
  assert.equal((await podsOf('surge')).length, 2, 'the old one stays until the new one is available');
  for (const p of pods) if (p.metadata.labels?.['v'] === '2') await env.setPodStatus(p, 'Running');
  await sync('surge');
  pods = await podsOf('surge');
  assert.deepEqual(pods.map((p) => p.metadata.labels?.['v']), ['2']);
});
