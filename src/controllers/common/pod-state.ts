// What workload controllers ask of a pod: is it active, ready, available
// (ready for at least minReadySeconds)?

import type { Condition, Pod } from './types.ts';

/** Not finished and not being deleted: counts towards replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podReadyCondition(pod: Pod): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready and the Ready condition has held for minReadySeconds at `nowMs`. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/**
 * When a ready-but-not-yet-available pod becomes available, in ms from now;
 * undefined when no pod is waiting. Controllers requeue after this.
 */
export function nextAvailableInMs(pods: readonly Pod[], minReadySeconds: number, nowMs: number): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let next: number | undefined;
  for (const p of pods) {
    const c = podReadyCondition(p);
    if (c?.status !== 'True' || !c.lastTransitionTime) continue;
    const at = Date.parse(c.lastTransitionTime) + minReadySeconds * 1000 - nowMs;
    if (at > 0 && (next === undefined || at < next)) next = at;
  }
  return next === undefined ? undefined : next + 1000;
}
