// The scheduling algorithm of one cycle: filter nodes (stopping once enough feasible
// ones are found, as percentageOfNodesToScore asks), score them, pick the best.

import type { Snapshot } from './cache/snapshot.ts';
import type { Framework } from './framework/framework.ts';
import type { CycleState } from './framework/interface.ts';
import type { NodeInfo, PodInfo } from './framework/node-info.ts';
import { Code, type MaybeStatus, type Status } from './framework/status.ts';

export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;

/** How many feasible nodes are enough to score, out of `numAllNodes`. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage?: number): number {
  if (numAllNodes < minFeasibleNodesToFind) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct <= 0) {
    // Adaptive: 50% for small clusters, 1% less per 125 nodes, never below 5%.
    pct = Math.max(minFeasibleNodesPercentageToFind, 50 - Math.floor(numAllNodes / 125));
  }
  if (pct >= 100) return numAllNodes;
  return Math.max(minFeasibleNodesToFind, Math.floor((numAllNodes * pct) / 100));
}

export type FitResult =
  | { ok: true; node: string; feasible: number; evaluated: number }
  | { ok: false; status: Status; statuses: Map<string, Status>; preFilterMsg?: string; numAllNodes: number };

export type Nominated = (nodeName: string) => readonly PodInfo[];

export class NodeFinder {
  private nextStart = 0;

  /** Runs one cycle's algorithm for `pod`. Synchronous: nothing changes the snapshot meanwhile. */
  schedule(fwk: Framework, state: CycleState, pod: PodInfo, snapshot: Snapshot, nominated: Nominated, nominatedNode?: string, percentage?: number): FitResult {
    const nodes = snapshot.nodeInfoList;
    const statuses = new Map<string, Status>();
    if (nodes.length === 0) {
      return { ok: false, status: { code: Code.Unschedulable, reasons: ['no nodes available to schedule pods'] }, statuses, numAllNodes: 0 };
    }
    const pre = fwk.runPreFilter(state, pod, snapshot);
    if (pre !== null && pre.code !== Code.Success) {
      for (const n of nodes) statuses.set(n.name, pre);
      return { ok: false, status: pre, statuses, preFilterMsg: pre.reasons.join(', '), numAllNodes: nodes.length };
    }
    // A pod nominated by an earlier preemption tries its node first.
    if (nominatedNode) {
      const n = snapshot.get(nominatedNode);
      if (n && this.filterOne(fwk, state, pod, n, nominated) === null) return { ok: true, node: n.name, feasible: 1, evaluated: 1 };
    }
    const want = numFeasibleNodesToFind(nodes.length, percentage ?? fwk.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    // Rejections in two arrays: a Map of thousands of entries per pod costs more than the filters.
    const rejectedNodes: string[] = [];
    const rejected: Status[] = [];
    const total = nodes.length;
    const start = this.nextStart % total;
    let processed = 0;
    for (; processed < total && feasible.length < want; processed++) {
      const node = nodes[(start + processed) % total]!;
      const s = this.filterOne(fwk, state, pod, node, nominated);
      if (s === null) feasible.push(node);
      else if (s.code === Code.Error) return { ok: false, status: s, statuses, numAllNodes: total };
      else {
        rejectedNodes.push(node.name);
        rejected.push(s);
      }
    }
    this.nextStart = (start + processed) % total;
    if (feasible.length === 0) {
      for (let i = 0; i < rejected.length; i++) statuses.set(rejectedNodes[i]!, rejected[i]!);
      return { ok: false, status: { code: Code.Unschedulable, reasons: [] }, statuses, numAllNodes: total };
    }
    if (feasible.length === 1) return { ok: true, node: feasible[0]!.name, feasible: 1, evaluated: processed };
    const ps = fwk.runPreScore(state, pod, feasible, snapshot);
    if (ps !== null && ps.code !== Code.Success) return { ok: false, status: ps, statuses, numAllNodes: total };
    const scores = fwk.runScore(state, pod, feasible);
    return { ok: true, node: selectHost(feasible, scores), feasible: feasible.length, evaluated: processed };
  }

  /** Filters, counting pods nominated to the node with at least the pod's priority as if there. */
  private filterOne(fwk: Framework, state: CycleState, pod: PodInfo, node: NodeInfo, nominated: Nominated): MaybeStatus {
    const extra = nominated(node.name);
    if (extra.length > 0) {
      const ahead = extra.filter((p) => p.key !== pod.key && p.priority >= pod.priority);
      if (ahead.length > 0) {
        const copy = node.clone();
        const st = fwk.cloneState(state);
        for (const p of ahead) {
          copy.addPod(p);
          fwk.runAddPod(st, pod, p, copy);
        }
        const s = fwk.runFilter(st, pod, copy);
        if (s !== null) return s;
      }
    }
    return fwk.runFilter(state, pod, node);
  }
}

/** The highest score; ties broken at random so equal nodes share the load. */
export function selectHost(nodes: readonly NodeInfo[], scores: readonly number[]): string {
  let best = 0;
  let ties = 1;
  for (let i = 1; i < nodes.length; i++) {
    if (scores[i]! > scores[best]!) {
      best = i;
      ties = 1;
    } else if (scores[i] === scores[best]) {
      ties++;
      if (Math.random() * ties < 1) best = i;
    }
  }
  return nodes[best]!.name;
}
