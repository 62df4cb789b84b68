// The DisruptionTarget pod condition: whoever deletes a pod to make room or
// evict it (the eviction API, scheduler preemption, the taint manager, pod GC) first
// marks it with why, so that a Job's podFailurePolicy can tell a disruption
// from a failure of the pod's own (onPodConditions: DisruptionTarget).

import { rfc3339 } from '../machinery/clock.ts';

export const disruptionTarget = 'DisruptionTarget';

export const disruptionReasons = {
  eviction: { reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' },
  taintManager: { reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' },
  podGC: { reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' },
  preemption: (schedulerName: string) => ({ reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod` }),
} as const;

export type DisruptionCondition = { type: string; status: 'True'; reason: string; message: string; lastTransitionTime: string };

export function disruptionCondition(why: { reason: string; message: string }, now: number): DisruptionCondition {
  return { type: disruptionTarget, status: 'True', reason: why.reason, message: why.message, lastTransitionTime: rfc3339(now) };
}

/** A pod that has finished is not disrupted by its deletion: it gets no condition. */
export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}
