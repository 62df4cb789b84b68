// Matching pods per node, memoized on the NodeInfo object: a snapshot replaces the
// NodeInfo of a node that changed, so unchanged nodes are counted only once.

import type { NodeInfo, PodInfo } from '../../framework/node-info.ts';
import { firstUntolerated } from '../../framework/taints.ts';
import { podMatchesNodeSelectorAndAffinity } from '../../framework/node-selector.ts';
import type { Constraint } from './constraints.ts';

const memo = new WeakMap<NodeInfo, Map<string, number>>();

export function countMatching(node: NodeInfo, c: Constraint, namespace: string): number {
  let m = memo.get(node);
  if (!m) {
    m = new Map();
    memo.set(node, m);
  }
  const hit = m.get(c.memoKey);
  if (hit !== undefined) return hit;
  let n = 0;
  for (const p of node.pods) if (podCounts(p, c, namespace)) n++;
  m.set(c.memoKey, n);
  return n;
}

export function podCounts(p: PodInfo, c: Constraint, namespace: string): boolean {
  return (p.pod.metadata.namespace ?? 'default') === namespace && !p.pod.metadata.deletionTimestamp && c.selector.matches(p.pod.metadata.labels);
}

const hardEffects = ['NoSchedule', 'NoExecute'];

/** Whether a node's pods count toward the pod's spread (node inclusion policies). */
export function nodeCounts(pod: PodInfo, node: NodeInfo, constraints: readonly Constraint[]): boolean {
  const n = node.node;
  if (!n) return false;
  const labels = node.labels();
  for (const c of constraints) if (labels[c.topologyKey] === undefined) return false;
  const c0 = constraints[0];
  if (!c0) return false;
  if (c0.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod.pod, n)) return false;
  if (c0.honorTaints && firstUntolerated(n.spec?.taints, pod.pod.spec?.tolerations, hardEffects)) return false;
  return true;
}
