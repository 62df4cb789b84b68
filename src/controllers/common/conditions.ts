// Status conditions as Kubernetes keeps them: one per type; the transition time
// only moves when the status changes.

import type { Condition } from './types.ts';

export function getCondition(conds: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conds?.find((c) => c.type === type);
}

/**
 * Returns conditions with `c` in place of the one of its type. When the status
 * did not change the old lastTransitionTime is kept; when status, reason and
 * message are all unchanged the old condition is kept whole.
 */
export function setCondition(conds: readonly Condition[] | undefined, c: Condition): Condition[] {
  const old = getCondition(conds, c.type);
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return [...(conds ?? [])];
  const next = { ...c };
  if (old && old.status === c.status && old.lastTransitionTime) next.lastTransitionTime = old.lastTransitionTime;
  return [...(conds ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(conds: readonly Condition[] | undefined, type: string): Condition[] {
  return (conds ?? []).filter((c) => c.type !== type);
}
