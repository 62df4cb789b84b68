// kube-scheduler's wording for a pod that fits nowhere:
// "0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {k: v}."

import type { Status } from './framework/status.ts';

/** Reasons counted over nodes, sorted, as FitError.Error() prints them. */
export function fitErrorMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>, preFilterMsg?: string): string {
  if (preFilterMsg) return `0/${numAllNodes} nodes are available: ${preFilterMsg}.`;
  const histogram = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`;
}

export function fullFitError(numAllNodes: number, statuses: ReadonlyMap<string, Status>, postFilterMsg: string, preFilterMsg?: string): string {
  const msg = fitErrorMessage(numAllNodes, statuses, preFilterMsg);
  return postFilterMsg ? `${msg} ${postFilterMsg}` : msg;
}
