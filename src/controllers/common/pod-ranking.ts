// Which pods to delete first when scaling down, in the spirit of Kubernetes'
// ActivePodsWithRanks: the cheapest loss first — unscheduled before scheduled,
// pending before running, not ready before ready, lower deletion cost first,
// crowded nodes first, recently ready before long ready, more restarts before
// fewer, newer before older.

import { isPodReady, podReadyCondition } from './pod-state.ts';
import type { Pod } from './types.ts';

export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseRank = new Map([['Pending', 0], ['Unknown', 1], ['Running', 2]]);

function deletionCost(p: Pod): number {
  const v = Number(p.metadata.annotations?.[podDeletionCostAnnotation]);
  return Number.isFinite(v) ? v : 0;
}

function restarts(p: Pod): number {
  let n = 0;
  for (const c of p.status?.containerStatuses ?? []) n = Math.max(n, c.restartCount ?? 0);
  return n;
}

const time = (s: string | undefined): number => (s ? Date.parse(s) : 0);

/**
 * Sorts a copy of `pods` so the first ones are the best to delete.
 * `related` are pods of the same owner family; a pod on a node that holds many
 * of them is deleted before one that is alone on its node (spreads what stays).
 */
export function rankPodsForDeletion(pods: readonly Pod[], related: readonly Pod[] = pods): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  }
  const rank = (p: Pod): number => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => comparePods(a, b, rank));
}

function comparePods(a: Pod, b: Pod, rank: (p: Pod) => number): number {
  const an = a.spec?.nodeName ? 1 : 0;
  const bn = b.spec?.nodeName ? 1 : 0;
  if (an !== bn) return an - bn;
  const ap = phaseRank.get(a.status?.phase ?? 'Pending') ?? 0;
  const bp = phaseRank.get(b.status?.phase ?? 'Pending') ?? 0;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a) ? 1 : 0;
  const br = isPodReady(b) ? 1 : 0;
  if (ar !== br) return ar - br;
  const ac = deletionCost(a);
  const bc = deletionCost(b);
  if (ac !== bc) return ac - bc;
  const ak = rank(a);
  const bk = rank(b);
  if (ak !== bk) return bk - ak;
  if (ar === 1) {
    const at = time(podReadyCondition(a)?.lastTransitionTime);
    const bt = time(podReadyCondition(b)?.lastTransitionTime);
    if (at !== bt) return bt - at;
  }
  const rs = restarts(b) - restarts(a);
  if (rs !== 0) return rs;
  const ct = time(b.metadata.creationTimestamp) - time(a.metadata.creationTimestamp);
  if (ct !== 0) return ct;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}
