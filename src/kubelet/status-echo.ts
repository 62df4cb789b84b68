// The watch brings back every status the kubelet writes. Like Kubernetes' pod
// config, which reconciles status-only updates without syncing the pod, a
// worker need not sync again for an update that changes nothing it reads: the
// same spec and metadata (but for resourceVersion and managedFields), and the
// same conditions as the status it last reported. Conditions are what a
// worker takes from the API's status (others' conditions, readiness gates);
// the rest of the status it takes from what it reported itself.

import type { Pod, PodCondition, PodStatus } from './types.ts';

/** What a sync reads of the pod object, as one string (JSON of the same stored object is byte-for-byte the same). */
export function syncInputs(pod: Pod): string {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = pod.metadata;
  return JSON.stringify(meta) + JSON.stringify(pod.spec);
}

/**
 * Whether `pod` is the echo of a status this worker reported: its sync inputs are `lastInputs` and its
 * conditions are those of `lastStatus`. A false "no" costs one needless sync; a "yes" is exact.
 */
export function isStatusEcho(pod: Pod, inputs: string, lastInputs: string | undefined, lastStatus: PodStatus | undefined): boolean {
  if (lastStatus === undefined || inputs !== lastInputs) return false;
  return sameConditions(pod.status?.conditions ?? [], lastStatus.conditions ?? []);
}

/**
 * The same conditions in the same order, field by field. A null field and an absent one are the same:
 * the status patch's merge drops the `lastProbeTime: null` the kubelet reports (Kubernetes' typed
 * encoding shows it again as null).
 */
function sameConditions(a: readonly PodCondition[], b: readonly PodCondition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! as Record<string, unknown>;
    const y = b[i]! as Record<string, unknown>;
    for (const k in x) if ((x[k] ?? null) !== (y[k] ?? null)) return false;
    for (const k in y) if (!(k in x) && y[k] !== null && y[k] !== undefined) return false;
  }
  return true;
}
