// The watch brings back every status the kubelet writes. Like Kubernetes' pod
// config, which reconciles status-only updates without syncing the pod, a
// worker need not sync again for an update that changes nothing it reads: the
// same spec and metadata (but for resourceVersion and managedFields), and the
// same conditions as the status it last reported. Conditions are what a
// worker takes from the API's status (others' conditions, readiness gates);
// the rest of the status it takes from what it reported itself.

import type { Pod, PodStatus } from './types.ts';

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
  return JSON.stringify(pod.status?.conditions ?? []) === JSON.stringify(lastStatus.conditions ?? []);
}
