// Taints and tolerations: which taints a node's Ready condition calls for,
// whether a pod tolerates a taint, and how long it may stay on a NoExecute one.

import type { KubeObject } from '../../api/meta.ts';

export type Taint = { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'; timeAdded?: string };
export type Toleration = { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string; tolerationSeconds?: number };
export type NodeCondition = { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string; lastHeartbeatTime?: string; lastTransitionTime?: string };

export type Node = KubeObject & {
  spec?: { taints?: Taint[]; unschedulable?: boolean; podCIDR?: string; podCIDRs?: string[] };
  status?: { conditions?: NodeCondition[]; [k: string]: unknown };
};

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const unschedulableTaintKey = 'node.kubernetes.io/unschedulable';
/** The taints this controller owns; any other taint on a node is left as it is. */
export const managedTaintKeys = [notReadyTaintKey, unreachableTaintKey, unschedulableTaintKey];

export function readyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}

/** NoSchedule taints for the node's state, applied at once. */
export function desiredNoScheduleTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  const ready = readyStatus(node);
  if (ready === 'False') out.push({ key: notReadyTaintKey, effect: 'NoSchedule' });
  if (ready === 'Unknown') out.push({ key: unreachableTaintKey, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) out.push({ key: unschedulableTaintKey, effect: 'NoSchedule' });
  return out;
}

/** The NoExecute taint the node's state calls for (added at the zone's eviction rate), if any. */
export function desiredNoExecuteTaint(node: Node): Taint | undefined {
  const ready = readyStatus(node);
  if (ready === 'False') return { key: notReadyTaintKey, effect: 'NoExecute' };
  if (ready === 'Unknown') return { key: unreachableTaintKey, effect: 'NoExecute' };
  return undefined;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 when one is
 * not tolerated, Infinity when every matching toleration is forever, else the
 * smallest tolerationSeconds (in ms).
 */
export function noExecuteDelayMs(tolerations: readonly Toleration[], taints: readonly Taint[]): number {
  let delay = Infinity;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    for (const t of matching) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      delay = Math.min(delay, Math.max(0, t.tolerationSeconds) * 1000);
    }
  }
  return delay;
}

export const sameTaint = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
