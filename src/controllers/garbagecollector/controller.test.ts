import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import { isNotFound } from '../../machinery/status.ts';
import type { RunningController } from '../types.ts';
import { startGarbageCollector } from './controller.ts';
import { eventually, startTestEnv, type TestControllerEnv } from './test-context.ts';

const cm = resourceForKind('', 'ConfigMap')!;
let env: TestControllerEnv;
let gc: RunningController;

before(async () => {
  env = await startTestEnv();
  gc = await startGarbageCollector(env.ctx);
  env.ctx.informers.start();
});

after(async () => {
  await gc.stop();
  await env.stop();
});

async function make(name: string, owners: KubeObject[] = [], extra: { finalizers?: string[]; block?: boolean } = {}): Promise<KubeObject> {
  const ownerReferences: OwnerReference[] = owners.map((o) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: o.metadata.name!,
    uid: o.metadata.uid!,
    ...(extra.block ? { blockOwnerDeletion: true } : {}),
  }));
  return env.cluster.client.create(cm, 'default', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(ownerReferences.length ? { ownerReferences } : {}), ...(extra.finalizers ? { finalizers: extra.finalizers } : {}) },
  });
}

async function exists(name: string): Promise<KubeObject | undefined> {
  try {
    return await env.cluster.client.get(cm, 'default', name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const gone = (name: string) => eventually(async () => (await exists(name)) === undefined, 5000, `${name} to be deleted`);

test('background: deleting the owner deletes its dependents, and theirs', async () => {
  const owner = await make('bg-owner');
  const child = await make('bg-child', [owner]);
  await make('bg-grandchild', [child]);
  await env.cluster.client.delete(cm, 'default', 'bg-owner', { propagationPolicy: 'Background' });
  await gone('bg-child');
  await gone('bg-grandchild');
});

test('orphan: dependents stay and lose their reference; the owner goes', async () => {
  const owner = await make('or-owner');
  const other = await make('or-other');
  await make('or-child', [owner, other]);
  await env.cluster.client.delete(cm, 'default', 'or-owner', { propagationPolicy: 'Orphan' });
  await gone('or-owner');
  const child = await exists('or-child');
  assert.ok(child);
  assert.deepEqual(child.metadata.ownerReferences?.map((r) => r.name), ['or-other']);
  const lone = await make('or-lone', [await make('or-owner2')]);
  await env.cluster.client.delete(cm, 'default', 'or-owner2', { propagationPolicy: 'Orphan' });
  await gone('or-owner2');
  assert.equal((await exists(lone.metadata.name!))?.metadata.ownerReferences, undefined);
});

test('foreground: the owner waits for blocking dependents, then goes', async () => {
  const owner = await make('fg-owner');
  await make('fg-child', [owner], { block: true, finalizers: ['example.com/hold'] });
  await make('fg-free', [owner], { block: true });
  await env.cluster.client.delete(cm, 'default', 'fg-owner', { propagationPolicy: 'Foreground' });
  await gone('fg-free');
  // fg-child is marked but held by its own finalizer, so the owner must wait.
  const held = await eventually(async () => (await exists('fg-child'))?.metadata.deletionTimestamp, 5000, 'fg-child marked');
  assert.ok(held);
  const waiting = await exists('fg-owner');
  assert.deepEqual(waiting?.metadata.finalizers, ['foregroundDeletion']);
  await env.cluster.client.patch(cm, 'default', 'fg-child', 'merge', { metadata: { finalizers: null } });
  await gone('fg-child');
  await gone('fg-owner');
});

test('a dependent whose owners never existed is deleted; one with a live owner only loses the dangling reference', async () => {
  const ghost = { metadata: { name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' } } as KubeObject;
  await make('dangling', [ghost]);
  await gone('dangling');
  const live = await make('live-owner');
  await make('half-dangling', [ghost, live]);
  const fixed = await eventually(async () => {
    const o = await exists('half-dangling');
    return o?.metadata.ownerReferences?.length === 1 ? o : undefined;
  }, 5000, 'dangling reference removed');
  assert.equal(fixed.metadata.ownerReferences?.[0]?.name, 'live-owner');
});
