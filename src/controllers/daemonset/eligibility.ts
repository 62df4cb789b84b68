// Which nodes a DaemonSet's pod belongs on: node selector, required node
// affinity and taints (with the tolerations every daemon pod gets).

import type { Pod } from '../common/types.ts';
import { podFitsNodeSelector, type NodeSelectorTerm } from '../../api/node-selector.ts';
import type { DaemonSet, Node, Taint, Toleration } from './types.ts';

/** The tolerations Kubernetes adds to every DaemonSet pod, so daemons run on troubled nodes too. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

/** The template's tolerations plus the daemon ones it lacks. */
export function withDaemonTolerations(existing: readonly Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(existing ?? [])];
  for (const t of daemonTolerations(hostNetwork)) {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  }
  return out;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export type Placement = {
  /** A new daemon pod should be created here. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (untolerated NoSchedule taints only block new pods). */
  shouldContinueRunning: boolean;
};

export function placementOn(ds: DaemonSet, node: Node): Placement {
  const spec = (ds.spec?.template?.spec ?? {}) as { nodeSelector?: Record<string, string>; affinity?: unknown; tolerations?: Toleration[]; hostNetwork?: boolean };
  if (!podFitsNodeSelector(spec as Parameters<typeof podFitsNodeSelector>[0], node.metadata)) return { shouldRun: false, shouldContinueRunning: false };
  const tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  let shouldRun = true;
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule' || tolerations.some((t) => tolerates(t, taint))) continue;
    if (taint.effect === 'NoExecute') return { shouldRun: false, shouldContinueRunning: false };
    shouldRun = false;
  }
  return { shouldRun, shouldContinueRunning: true };
}

/** The node a daemon pod is for: its binding, or the `metadata.name In [node]` affinity it was created with. */
export function targetNodeOf(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = (pod.spec?.['affinity'] as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } } | undefined)
    ?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const t of terms ?? []) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** The template's affinity with the required node terms replaced by "this node only". */
export function pinToNode(affinity: unknown, nodeName: string): Record<string, unknown> {
  const a = structuredClone((affinity ?? {}) as Record<string, unknown>);
  const na = { ...((a['nodeAffinity'] as Record<string, unknown> | undefined) ?? {}) };
  na['requiredDuringSchedulingIgnoredDuringExecution'] = {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }],
  };
  a['nodeAffinity'] = na;
  return a;
}
