// What the scheduler derives from other objects: a pod's effective priority
// (PriorityClass) and, for default spread constraints, the selector of the
// services and controllers that own it.

import type { Lister } from '../client/interfaces.ts';
import type { KubeObject } from '../api/meta.ts';
import { selectorFromLabelSelector, type LabelSelector, type Selector } from '../machinery/labels.ts';
import type { Pod, PriorityClass } from './types.ts';

export function priorityOf(pod: Pod, classes: Lister<PriorityClass> | undefined): number {
  const spec = pod.spec ?? {};
  // Admission normally resolves priorityClassName into spec.priority; do it here when it did not.
  if (spec.priority !== undefined && spec.priority !== 0) return spec.priority;
  if (!classes) return spec.priority ?? 0;
  if (spec.priorityClassName) return classes.get(undefined, spec.priorityClassName)?.value ?? spec.priority ?? 0;
  const def = classes.list().find((c) => c.globalDefault);
  return def?.value ?? spec.priority ?? 0;
}

type Owned = KubeObject & { spec?: { selector?: LabelSelector | Record<string, string> | null } };

export type OwnerListers = {
  services?: Lister<Owned>;
  replicaSets?: Lister<Owned>;
  statefulSets?: Lister<Owned>;
  replicationControllers?: Lister<Owned>;
};

/** Services selecting the pod and its owning controller, as one selector; null when none. */
export function defaultSpreadSelector(pod: Pod, listers: OwnerListers): Selector | null {
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  let any = false;
  for (const svc of listers.services?.list(ns) ?? []) {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    Object.assign(matchLabels, sel);
    any = true;
  }
  for (const ref of pod.metadata.ownerReferences ?? []) {
    if (!ref.controller) continue;
    const lister = ref.kind === 'ReplicaSet' ? listers.replicaSets : ref.kind === 'StatefulSet' ? listers.statefulSets : ref.kind === 'ReplicationController' ? listers.replicationControllers : undefined;
    const owner = lister?.get(ns, ref.name);
    const sel = owner?.spec?.selector;
    if (!sel) continue;
    if (ref.kind === 'ReplicationController') Object.assign(matchLabels, sel as Record<string, string>);
    else {
      const ls = sel as LabelSelector;
      Object.assign(matchLabels, ls.matchLabels ?? {});
      matchExpressions.push(...(ls.matchExpressions ?? []));
    }
    any = true;
  }
  if (!any) return null;
  try {
    return selectorFromLabelSelector({ matchLabels, matchExpressions });
  } catch {
    return null;
  }
}
