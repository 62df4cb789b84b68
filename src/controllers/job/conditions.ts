// Job conditions: each type appears once; a change of status moves lastTransitionTime.

import { rfc3339 } from '../../machinery/clock.ts';
import type { Condition, Job } from './types.ts';

export function hasCondition(job: Job, type: string): boolean {
  return job.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** Complete or Failed: the Job is done and its pods are no longer managed. */
export function isFinished(job: Job): boolean {
  return hasCondition(job, 'Complete') || hasCondition(job, 'Failed');
}

/** When the Job finished (the terminal condition's transition time), if it did. */
export function finishedAt(job: Job): number | undefined {
  const c = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  const t = c?.lastTransitionTime ?? job.status?.completionTime;
  return t ? Date.parse(t) : undefined;
}

export function setCondition(conds: Condition[], type: string, status: Condition['status'], reason: string, message: string, now: number): Condition[] {
  const ts = rfc3339(now);
  const old = conds.find((c) => c.type === type);
  if (old && old.status === status && old.reason === reason && old.message === message) return conds;
  const next = { type, status, reason, message, lastProbeTime: ts, lastTransitionTime: old && old.status === status ? (old.lastTransitionTime ?? ts) : ts } as Condition;
  return old ? conds.map((c) => (c === old ? next : c)) : [...conds, next];
}
