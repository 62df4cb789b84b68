import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../garbagecollector/test-context.ts';
import type { Node } from '../nodelifecycle/taints.ts';
import { startNodeIpamController } from './controller.ts';

const nodes = resourceForKind('', 'Node')!;
let env: TestControllerEnv;

before(async () => {
  env = await startTestEnv({ options: { clusterCIDR: '10.42.0.0/16', nodeCIDRMaskSize: 24 } });
});
after(() => env.stop());

const addNode = (name: string) => env.cluster.client.create(nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
const cidrs = async () => {
  const list = await env.cluster.client.list<Node>(nodes, undefined);
  return Object.fromEntries(list.items.map((n) => [n.metadata.name!, n.spec?.podCIDR]));
};

test('each node gets its own block; a restarted allocator rebuilds and frees on delete', async () => {
  const first = startNodeIpamController(env.ctx);
  env.ctx.informers.start();
  for (const n of ['n1', 'n2', 'n3']) await addNode(n);
  const got = await eventually(async () => {
    const c = await cidrs();
    return Object.values(c).every(Boolean) && Object.keys(c).length === 3 ? c : undefined;
  }, 5000, 'three podCIDRs');
  assert.equal(new Set(Object.values(got)).size, 3);
  const n1 = await env.cluster.client.get<Node>(nodes, undefined, 'n1');
  assert.deepEqual(n1.spec?.podCIDRs, [n1.spec?.podCIDR]);
  await first.stop();

  // A new controller process: it must not hand out n1..n3's blocks again.
  env.ctx.informers.stop();
  const informers = new InformerFactory(env.cluster.client);
  const ctx2 = { ...env.ctx, informers };
  const second = startNodeIpamController(ctx2);
  informers.start();
  await env.cluster.client.delete(nodes, undefined, 'n2');
  await addNode('n4');
  await addNode('n5');
  const after = await eventually(async () => {
    const c = await cidrs();
    return c.n4 && c.n5 ? c : undefined;
  }, 5000, 'podCIDRs after restart');
  const taken = [got.n1, got.n3];
  assert.ok(!taken.includes(after.n4) && !taken.includes(after.n5), JSON.stringify(after));
  assert.notEqual(after.n4, after.n5);
  // n2's block was freed and is the lowest free one.
  assert.ok([after.n4, after.n5].includes(got.n2), JSON.stringify({ got, after }));
  await second.stop();
  informers.stop();
});
