// The node lifecycle controller: NodeMonitor every nodeMonitorPeriod, the
// zones' NoExecute queues every 100 ms, and taint-based eviction of pods.

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, Informer } from '../../client/interfaces.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { NodeMonitor, type Lease } from './node-monitor.ts';
import { TaintEviction, type Pod } from './taint-eviction.ts';
import type { Node } from './taints.ts';

export const podsByNodeIndex = 'nodelifecycle/spec.nodeName';

export type RunningNodeLifecycle = RunningController & { monitor: NodeMonitor; eviction: TaintEviction; pass(): Promise<void> };

export function startNodeLifecycleController(ctx: ControllerContext): RunningNodeLifecycle {
  const nodes = ctx.informers.informerFor<Node>(resourceForKind('', 'Node')!);
  // Every Lease, not only kube-node-lease's: the garbage collector watches them all anyway, and sharing
  // its informer receives each node's renewal once instead of twice. The monitor reads them by namespace and name.
  const leases = ctx.informers.informerFor<Lease>(resourceForKind('coordination.k8s.io', 'Lease')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const indexed = addNodeIndex(pods);
  const recorder = ctx.recorder('node-controller');
  const podsOn = (node: string) => (indexed ? pods.lister.byIndex(podsByNodeIndex, node) : pods.lister.list().filter((p) => p.spec?.nodeName === node));
  const onNodeUnknown = (node: string) => markPodsNotReady(ctx.client, podsOn(node), ctx.clock.now(), ctx.log);
  const monitor = new NodeMonitor(ctx.client, ctx.clock, nodes.lister, leases.lister, recorder, { ...ctx.options, onNodeUnknown });
  const eviction = new TaintEviction(ctx.client, ctx.clock, recorder, ctx.log);

  const onPod = (p: Pod) => {
    const n = p.spec?.nodeName;
    if (n) eviction.process(p, nodes.lister.get(undefined, n));
  };
  pods.addEventHandler({ onAdd: onPod, onUpdate: (_o, p) => onPod(p), onDelete: (p) => eviction.cancel(p.metadata.uid ?? '') });
  const onNode = (old: Node | undefined, n: Node) => {
    if (old && JSON.stringify(old.spec?.taints ?? []) === JSON.stringify(n.spec?.taints ?? [])) return;
    for (const p of podsOn(n.metadata.name!)) eviction.process(p, n);
  };
  nodes.addEventHandler({
    onAdd: (n) => onNode(undefined, n),
    onUpdate: (o, n) => onNode(o, n),
    onDelete: (n) => {
      for (const p of podsOn(n.metadata.name!)) eviction.process(p, undefined);
    },
  });

  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  // Passes never overlap: a slow API server delays the next one instead.
  const serial = (fn: () => Promise<unknown>) => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await fn();
      } catch (e) {
        ctx.log(`nodelifecycle: ${(e as Error).message}`);
      }
    });
    return running;
  };
  const timers: { cancel(): void }[] = [];
  const synced = Promise.all([nodes.waitForSync(), leases.waitForSync(), pods.waitForSync()]).then(() => {
    if (stopped) return;
    timers.push(ctx.clock.setInterval(() => void serial(() => monitor.monitor()), ctx.options.nodeMonitorPeriodMs));
    timers.push(ctx.clock.setInterval(() => void serial(() => monitor.drainTaintQueues()), 100));
  });
  return {
    monitor,
    eviction,
    pass: () => serial(async () => {
      await monitor.monitor();
      await monitor.drainTaintQueues();
    }),
    async stop() {
      stopped = true;
      await synced;
      for (const t of timers) t.cancel();
      eviction.stop();
      await running;
    },
  };
}

/** False when the shared informer already runs (indexes must come before start): then pods are filtered by hand. */
function addNodeIndex(pods: Informer<Pod>): boolean {
  try {
    pods.addIndex(podsByNodeIndex, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    return true;
  } catch {
    return false;
  }
}

type PodCondition = { type: string; status: string; reason?: string; lastTransitionTime?: string };
const podResource = resourceForKind('', 'Pod')!;

/** A node gone silent cannot vouch for its pods: they stop being Ready, so Services stop sending to them. */
export async function markPodsNotReady(client: Client, pods: readonly Pod[], now: number, log: (line: string) => void): Promise<void> {
  for (const pod of pods) {
    const status = (pod.status ?? {}) as { conditions?: PodCondition[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (!ready || ready.status === 'False' || pod.metadata.deletionTimestamp) continue;
    const next = structuredClone(pod) as Pod & { status: { conditions: PodCondition[] } };
    const c = next.status.conditions.find((x) => x.type === 'Ready')!;
    Object.assign(c, { status: 'False', reason: 'NodeNotReady', lastTransitionTime: rfc3339(now) });
    try {
      await client.update(podResource, pod.metadata.namespace, next, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) log(`nodelifecycle: marking pod ${pod.metadata.namespace}/${pod.metadata.name} not ready: ${(e as Error).message}`);
    }
  }
}
