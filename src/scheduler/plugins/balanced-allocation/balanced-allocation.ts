// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in
// similar proportions after placing the pod (score 100 minus their standard deviation).

import type { Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';
import { requestedAndAllocatable } from '../node-resources-fit/node-resources-fit.ts';

export function balancedAllocation(args: Record<string, unknown> = {}): Plugin {
  const resources = (args.resources as { name: string }[] | undefined)?.map((r) => r.name) ?? ['cpu', 'memory'];
  const cpuAndMemory = resources.length === 2 && resources.includes('cpu') && resources.includes('memory');
  return {
    name: 'NodeResourcesBalancedAllocation',
    score(_state, pod, node) {
      if (cpuAndMemory) {
        const cpuAlloc = node.allocatable.milliCPU;
        const memAlloc = node.allocatable.memory;
        if (cpuAlloc > 0 && memAlloc > 0) {
          const c = Math.min(1, (node.requested.milliCPU + pod.requests.requests.milliCPU) / cpuAlloc);
          const m = Math.min(1, (node.requested.memory + pod.requests.requests.memory) / memAlloc);
          // The standard deviation of two values is half their distance.
          return Math.floor((1 - Math.abs(c - m) / 2) * maxNodeScore);
        }
      }
      const fractions: number[] = [];
      for (const name of resources) {
        const [req, alloc] = requestedAndAllocatable(pod, node, name, false);
        if (alloc === 0) continue;
        fractions.push(Math.min(1, req / alloc));
      }
      if (fractions.length < 2) return maxNodeScore;
      let mean = 0;
      for (const f of fractions) mean += f;
      mean /= fractions.length;
      let variance = 0;
      for (const f of fractions) variance += (f - mean) ** 2;
      const std = Math.sqrt(variance / fractions.length);
      return Math.floor((1 - std) * maxNodeScore);
    },
  };
}
