// Node IPAM: every node gets spec.podCIDR(s) from the cluster CIDR. The used
// blocks are read back from all nodes before anything is allocated, so a
// restart never hands out a block twice; a deleted node's block is freed.

import { resourceForKind } from '../../api/scheme.ts';
import { isNotFound } from '../../machinery/status.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { runWorkers } from '../../client/run-workers.ts';
import type { Node } from '../nodelifecycle/taints.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { CidrAllocator } from './cidr-allocator.ts';

const nodeResource = resourceForKind('', 'Node')!;

export function startNodeIpamController(ctx: ControllerContext): RunningController {
  const allocator = new CidrAllocator(ctx.options.clusterCIDR, ctx.options.nodeCIDRMaskSize);
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'nodeipam' });
  const nodes = ctx.informers.informerFor<Node>(nodeResource);
  /** Which block each node holds, as we know it. */
  const held = new Map<string, string>();
  const note = (n: Node) => {
    const cidr = n.spec?.podCIDR;
    if (cidr && held.get(n.metadata.name!) !== cidr && allocator.occupy(cidr)) held.set(n.metadata.name!, cidr);
    if (!cidr) queue.add(n.metadata.name!);
  };
  nodes.addEventHandler({
    onAdd: note,
    onUpdate: (_o, n) => note(n),
    onDelete: (n) => {
      const cidr = held.get(n.metadata.name!) ?? n.spec?.podCIDR;
      held.delete(n.metadata.name!);
      if (cidr) allocator.release(cidr);
    },
  });

  const sync = async (name: string): Promise<void> => {
    const node = nodes.lister.get(undefined, name);
    if (!node || node.spec?.podCIDR) return;
    // A block we handed out whose write the cache has not shown yet is reused, not doubled.
    let cidr = held.get(name);
    if (!cidr) {
      cidr = allocator.allocate();
      if (!cidr) {
        ctx.recorder('node-ipam-controller').event(node, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        throw new Error(`no pod CIDR left in ${ctx.options.clusterCIDR} for node ${name}`);
      }
      held.set(name, cidr);
    }
    try {
      await ctx.client.patch(nodeResource, undefined, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    } catch (e) {
      if (isNotFound(e)) {
        held.delete(name);
        allocator.release(cidr);
        return;
      }
      throw e;
    }
  };

  const done = (async () => {
    // Every existing node's block is known (handlers ran for the initial list) before the first allocation.
    await nodes.waitForSync();
    await runWorkers(queue, 1, sync, { name: 'nodeipam', log: ctx.log });
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}
