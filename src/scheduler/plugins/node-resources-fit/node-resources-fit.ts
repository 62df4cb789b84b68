// NodeResourcesFit: the pod's requests (init containers and overhead included) must
// fit in what the node has left; scoring prefers the least (or most) allocated nodes.

import type { Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/node-info.ts';
import { Code, sharedCache, type MaybeStatus } from '../../framework/status.ts';

export type ScoringStrategy = {
  type: 'LeastAllocated' | 'MostAllocated';
  resources: { name: string; weight: number }[];
};

export const defaultScoringStrategy: ScoringStrategy = {
  type: 'LeastAllocated',
  resources: [
    { name: 'cpu', weight: 1 },
    { name: 'memory', weight: 1 },
  ],
};

/** Every resource the node lacks for the pod, as kube-scheduler words it. */
export function insufficientResources(pod: PodInfo, node: NodeInfo, ignored: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const alloc = node.allocatable;
  if (node.pods.length + 1 > alloc.pods) out.push('Too many pods');
  const r = pod.requests.requests;
  const used = node.requested;
  if (r.milliCPU > 0 && r.milliCPU > alloc.milliCPU - used.milliCPU) out.push('Insufficient cpu');
  if (r.memory > 0 && r.memory > alloc.memory - used.memory) out.push('Insufficient memory');
  if (r.ephemeralStorage > 0 && r.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) out.push('Insufficient ephemeral-storage');
  for (const [name, want] of r.scalar) {
    if (want <= 0 || ignored.has(name)) continue;
    if (want > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) out.push(`Insufficient ${name}`);
  }
  return out;
}

/** (requested, allocatable) of one resource on the node with the pod added, counting defaults for cpu/memory. */
export function requestedAndAllocatable(pod: PodInfo, node: NodeInfo, name: string, nonZero: boolean): [number, number] {
  const pr = pod.requests;
  switch (name) {
    case 'cpu':
      return [nonZero ? node.nonZeroMilliCPU + pr.nonZeroMilliCPU : node.requested.milliCPU + pr.requests.milliCPU, node.allocatable.milliCPU];
    case 'memory':
      return [nonZero ? node.nonZeroMemory + pr.nonZeroMemory : node.requested.memory + pr.requests.memory, node.allocatable.memory];
    case 'ephemeral-storage':
      return [node.requested.ephemeralStorage + pr.requests.ephemeralStorage, node.allocatable.ephemeralStorage];
    default:
      return [(node.requested.scalar.get(name) ?? 0) + (pr.requests.scalar.get(name) ?? 0), node.allocatable.scalar.get(name) ?? 0];
  }
}

const reject = sharedCache(Code.Unschedulable, 'NodeResourcesFit');

export function nodeResourcesFit(args: Record<string, unknown> = {}): Plugin {
  const strategy = (args.scoringStrategy as ScoringStrategy | undefined) ?? defaultScoringStrategy;
  const ignored = new Set((args.ignoredResources as string[] | undefined) ?? []);
  const most = strategy.type === 'MostAllocated';
  const defaultResources =
    strategy.resources.length === 2 && strategy.resources.every((r) => r.weight === 1) && strategy.resources.some((r) => r.name === 'cpu') && strategy.resources.some((r) => r.name === 'memory');
  return {
    name: 'NodeResourcesFit',
    events: ['NodeAdd', 'NodeUpdate', 'AssignedPodDelete', 'AssignedPodUpdate'],
    filter(_state, pod, node): MaybeStatus {
      // The common case first, without allocating.
      const alloc = node.allocatable;
      const r = pod.requests.requests;
      const used = node.requested;
      if (
        node.pods.length + 1 <= alloc.pods &&
        r.milliCPU <= alloc.milliCPU - used.milliCPU &&
        r.memory <= alloc.memory - used.memory &&
        r.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage &&
        r.scalar.size === 0
      ) {
        return null;
      }
      const reasons = insufficientResources(pod, node, ignored);
      return reasons.length === 0 ? null : reject(reasons);
    },
    score(_state, pod, node) {
      if (defaultResources) {
        // cpu and memory, weight 1 each: the common case, without allocation.
        const cpuAlloc = node.allocatable.milliCPU;
        const memAlloc = node.allocatable.memory;
        const cpu = Math.min(node.nonZeroMilliCPU + pod.requests.nonZeroMilliCPU, cpuAlloc);
        const mem = Math.min(node.nonZeroMemory + pod.requests.nonZeroMemory, memAlloc);
        let sum = 0;
        let n = 0;
        if (cpuAlloc > 0) {
          sum += most ? (cpu * maxNodeScore) / cpuAlloc : ((cpuAlloc - cpu) * maxNodeScore) / cpuAlloc;
          n++;
        }
        if (memAlloc > 0) {
          sum += most ? (mem * maxNodeScore) / memAlloc : ((memAlloc - mem) * maxNodeScore) / memAlloc;
          n++;
        }
        return n === 0 ? 0 : Math.floor(sum / n);
      }
      let sum = 0;
      let weights = 0;
      for (const { name, weight } of strategy.resources) {
        const [req, alloc] = requestedAndAllocatable(pod, node, name, true);
        if (alloc === 0) continue;
        const used = Math.min(req, alloc);
        sum += weight * (most ? (used * maxNodeScore) / alloc : ((alloc - used) * maxNodeScore) / alloc);
        weights += weight;
      }
      return weights === 0 ? 0 : Math.floor(sum / weights);
    },
  };
}
