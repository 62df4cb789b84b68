import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import { isNotFound } from '../../machinery/status.ts';
import type { RunningController } from '../types.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../garbagecollector/test-context.ts';
import { startNamespaceController } from './controller.ts';
import type { Namespace } from './sync.ts';

const r = (group: string, kind: string) => resourceForKind(group, kind)!;
let env: TestControllerEnv;
let controller: RunningController;

before(async () => {
  env = await startTestEnv();
  controller = startNamespaceController(env.ctx);
  env.ctx.informers.start();
});

after(async () => {
  await controller.stop();
  await env.stop();
});

const podSpec = { containers: [{ name: 'c', image: 'busybox' }] };

async function nsOrUndefined(name: string): Promise<Namespace | undefined> {
  try {
    return await env.cluster.client.get<Namespace>(r('', 'Namespace'), undefined, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

test('a deleted namespace is emptied of every kind of object and then goes', async () => {
  const c = env.cluster.client;
  await c.create(r('', 'Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
  for (let i = 0; i < 30; i++) await c.create(r('', 'ConfigMap'), 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } });
  await c.create(r('', 'Secret'), 'team', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
  await c.create(r('', 'Service'), 'team', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }], selector: { app: 'x' } } });
  const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };
  await c.create(r('apps', 'Deployment'), 'team', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'x' } }, template } });
  await c.create(r('', 'Pod'), 'team', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: podSpec });
  await c.delete(r('', 'Namespace'), undefined, 'team');
  assert.equal((await nsOrUndefined('team'))?.status?.phase, 'Terminating');
  await eventually(async () => (await nsOrUndefined('team')) === undefined, 10_000, 'namespace team to go');
  for (const kind of ['ConfigMap', 'Secret', 'Service', 'Pod']) {
    assert.equal((await c.list(r('', kind), 'team')).items.length, 0, kind);
  }
  assert.equal((await c.list(r('apps', 'Deployment'), 'team')).items.length, 0);
});

test('content held by a finalizer or a kubelet keeps the namespace, with conditions saying why', async () => {
  const c = env.cluster.client;
  await c.create(r('', 'Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held' } });
  await c.create(r('', 'ConfigMap'), 'held', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', finalizers: ['example.com/hold'] } });
  // Bound to a node: deleting it only marks it until the kubelet (here: the test) confirms.
  await c.create(r('', 'Pod'), 'held', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'running' }, spec: { ...podSpec, nodeName: 'n1' } });
  await c.delete(r('', 'Namespace'), undefined, 'held');
  const ns = await eventually(async () => {
    const n = await nsOrUndefined('held');
    return n?.status?.conditions?.find((x) => x.type === 'NamespaceFinalizersRemaining' && x.status === 'True') ? n : undefined;
  }, 10_000, 'conditions');
  const content = ns.status!.conditions!.find((x) => x.type === 'NamespaceContentRemaining')!;
  assert.match(content.message, /configmaps has 1 resource instances/);
  assert.match(content.message, /pods has 1 resource instances/);
  assert.match(ns.status!.conditions!.find((x) => x.type === 'NamespaceFinalizersRemaining')!.message, /example.com\/hold in 1/);
  await c.patch(r('', 'ConfigMap'), 'held', 'kept', 'merge', { metadata: { finalizers: null } });
  await c.delete(r('', 'Pod'), 'held', 'running', { gracePeriodSeconds: 0 });
  await eventually(async () => (await nsOrUndefined('held')) === undefined, 10_000, 'namespace held to go');
});

test('a namespace that is not being deleted is left alone', async () => {
  const c = env.cluster.client;
  await c.create(r('', 'Namespace'), undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'calm' } });
  await c.create(r('', 'ConfigMap'), 'calm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stay' } } as KubeObject);
  await new Promise((res) => setTimeout(res, 200));
  assert.equal((await c.list(r('', 'ConfigMap'), 'calm')).items.length, 1);
});
