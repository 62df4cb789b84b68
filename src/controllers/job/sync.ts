// The reconcile of one Job: count finished pods (through the tracking
// finalizer and status.uncountedTerminatedPods, so no pod is counted twice or
// lost), decide success or failure, keep `parallelism` pods running, write status.

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import { rfc3339, type Clock } from '../../machinery/clock.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { isNotFound } from '../../machinery/status.ts';
import { claimObjects, controllerOf, recheckOwner } from '../common/controller-ref.ts';
import type { ControllerExpectations } from '../common/expectations.ts';
import { splitKey } from '../common/keys.ts';
import { isActive, isDeleting, isReady } from '../statefulset/pod-state.ts';
import { finishedAt, isFinished, setCondition } from './conditions.ts';
import { judgeFailure } from './failure-policy.ts';
import { formatIndexes, parseIndexes } from './indexes.ts';
import { deleteJobPods, manageJobPods } from './manage.ts';
import { indexOf } from './pod-template.ts';
import { JOB_TRACKING_FINALIZER, type Job, type JobStatus, type Pod } from './types.ts';

const jobs = resourceForKind('batch', 'Job')!;
const pods = resourceForKind('', 'Pod')!;

export type JobSyncDeps = {
  client: Client;
  clock: Clock;
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  expectations: ControllerExpectations;
  recorder: EventRecorder;
  requeueAfter(key: string, ms: number): void;
  /** Delay before replacing a failed pod: base × 2^(failures−1), capped (Kubernetes: 10 s, 6 min). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** When each Job last saw a pod fail (for the back-off), kept across syncs. */
  lastFailure: Map<string, number>;
};

type Outcome = { type: 'FailureTarget' | 'SuccessCriteriaMet'; reason: string; message: string } | undefined;

export async function syncJob(d: JobSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = d.jobs.get(namespace, name);
  // Pods of a deleted Job (or of an earlier Job of the same name) must not keep their finalizer.
  const orphans = d.pods.list(namespace).filter((p) => {
    const ref = controllerOf(p);
    return ref?.kind === 'Job' && ref.name === name && ref.uid !== cached?.metadata.uid && hasFinalizer(p);
  });
  if (orphans.length) await removeFinalizers(d, orphans);
  if (!cached) {
    d.expectations.delete(key);
    d.lastFailure.delete(key);
    return;
  }
  let job: Job = structuredClone(cached);
  const now = d.clock.now();
  const owned = await claimPods(d, job);

  if (isFinished(job) || job.metadata.deletionTimestamp) {
    await removeFinalizers(d, owned.filter((p) => hasFinalizer(p)));
    await expireFinished(d, job, key, now);
    return;
  }

  const spec = job.spec ?? {};
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions;
  const status: JobStatus = structuredClone(job.status ?? {});
  const uncounted = { succeeded: new Set(status.uncountedTerminatedPods?.succeeded ?? []), failed: new Set(status.uncountedTerminatedPods?.failed ?? []) };
  const completed = parseIndexes(status.completedIndexes, completions ?? 0);

  // Newly finished pods go into the uncounted lists first; ignored failures (and pods
  // removed by a suspension) just lose their finalizer.
  const ignored: Pod[] = [];
  let outcome: Outcome = existingOutcome(job);
  for (const p of owned) {
    const uid = p.metadata.uid ?? '';
    if (!hasFinalizer(p) || uncounted.succeeded.has(uid) || uncounted.failed.has(uid)) continue;
    if (p.status?.phase === 'Succeeded') uncounted.succeeded.add(uid);
    else if (spec.suspend && isDeleting(p) && p.status?.phase !== 'Failed') ignored.push(p);
    else if (isFailed(job, p)) {
      const verdict = judgeFailure(job, p);
      if (verdict.action === 'Ignore') {
        ignored.push(p);
        continue;
      }
      uncounted.failed.add(uid);
      d.lastFailure.set(key, now);
      if ((verdict.action === 'FailJob' || verdict.action === 'FailIndex') && !outcome) {
        outcome = { type: 'FailureTarget', reason: 'PodFailurePolicy', message: verdict.message ?? 'pod failure policy' };
      }
    }
  }
  const succeededPods = owned.filter((p) => p.status?.phase === 'Succeeded' && (uncounted.succeeded.has(p.metadata.uid ?? '') || !hasFinalizer(p)));
  if (indexed) for (const p of succeededPods) {
    const i = indexOf(p);
    if (i !== undefined && completions !== undefined && i < completions) completed.add(i);
  }
  const succeeded = indexed ? completed.size : (status.succeeded ?? 0) + uncounted.succeeded.size;
  const failed = (status.failed ?? 0) + uncounted.failed.size;
  let active = owned.filter(isActive);

  trackSuspension(job, status, now);
  if (!status.startTime && !spec.suspend) status.startTime = rfc3339(now);
  const startedAt = status.startTime ? Date.parse(status.startTime) : now;
  if (!outcome) outcome = decideOutcome(job, { succeeded, failed, restarts: restartsOf(job, active), active: active.length, startedAt, now });

  const canManage = d.expectations.satisfied(key);
  // Pods deleted in this sync are still terminating: they are counted on a later one.
  let deletedNow = 0;
  if (outcome) {
    if (active.length && canManage) await deleteJobPods(d, job, key, active);
    deletedNow = active.length;
    active = [];
  } else if (canManage) {
    const r = await manageJobPods(d, job, key, { active, succeeded, completed, failed, now });
    active = r.active;
  }

  // Phase one: record what finished before the finalizers come off.
  status.uncountedTerminatedPods = uncountedOf([...uncounted.succeeded], [...uncounted.failed]);
  status.active = active.length;
  status.ready = active.filter(isReady).length;
  status.terminating =
    deletedNow + owned.filter((p) => isDeleting(p) && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !uncounted.failed.has(p.metadata.uid ?? '')).length;
  if (outcome) status.conditions = setCondition(status.conditions ?? [], outcome.type, 'True', outcome.reason, outcome.message, now);
  job = await writeStatus(d, job, status);

  // Phase two: take the finalizers off, then move the pods into the counters.
  const toRelease = owned.filter((p) => hasFinalizer(p) && (uncounted.succeeded.has(p.metadata.uid ?? '') || uncounted.failed.has(p.metadata.uid ?? '')));
  const released = await removeFinalizers(d, [...toRelease, ...ignored]);
  const stillHeld = new Set(toRelease.filter((p) => !released.has(p.metadata.uid ?? '')).map((p) => p.metadata.uid));
  const next: JobStatus = structuredClone(job.status ?? {});
  const countNow = (set: Set<string>) => [...set].filter((u) => !stillHeld.has(u));
  next.succeeded = indexed ? completed.size : (next.succeeded ?? 0) + countNow(uncounted.succeeded).length;
  next.failed = (next.failed ?? 0) + countNow(uncounted.failed).length;
  next.uncountedTerminatedPods = uncountedOf(
    [...uncounted.succeeded].filter((u) => stillHeld.has(u)),
    [...uncounted.failed].filter((u) => stillHeld.has(u)),
  );
  if (indexed) next.completedIndexes = formatIndexes(completed);
  const drained = stillHeld.size === 0 && active.length === 0 && (next.terminating ?? 0) === 0;
  if (outcome && drained) finish(d, job, next, outcome, now);
  job = await writeStatus(d, job, next);
  if (isFinished(job)) await expireFinished(d, job, key, now);
  else scheduleDeadline(d, job, key, startedAt, now);
}

/** Empty lists are left out, as Kubernetes writes them. */
function uncountedOf(succeeded: string[], failed: string[]): NonNullable<JobStatus['uncountedTerminatedPods']> {
  return { ...(succeeded.length ? { succeeded } : {}), ...(failed.length ? { failed } : {}) };
}

/** The Suspended condition; resuming restarts the clock of activeDeadlineSeconds. */
function trackSuspension(job: Job, status: JobStatus, now: number): void {
  const suspended = status.conditions?.some((c) => c.type === 'Suspended' && c.status === 'True') ?? false;
  if (job.spec?.suspend && !suspended) {
    status.conditions = setCondition(status.conditions ?? [], 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
  } else if (!job.spec?.suspend && suspended) {
    status.conditions = setCondition(status.conditions ?? [], 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
    status.startTime = rfc3339(now);
  }
}

function hasFinalizer(p: Pod): boolean {
  return p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** A pod the Job counts as failed: Failed, or deleted before it succeeded (unless a failure policy waits for the phase). */
function isFailed(job: Job, p: Pod): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (job.spec?.podFailurePolicy) return false;
  return isDeleting(p) && p.status?.phase !== 'Succeeded';
}

function existingOutcome(job: Job): Outcome {
  for (const type of ['FailureTarget', 'SuccessCriteriaMet'] as const) {
    const c = job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
    if (c) return { type, reason: c.reason ?? '', message: c.message ?? '' };
  }
  return undefined;
}

/** With restartPolicy OnFailure a failing container restarts in place: its restarts count as failures. */
function restartsOf(job: Job, active: readonly Pod[]): number {
  if (job.spec?.template?.spec?.['restartPolicy'] !== 'OnFailure') return 0;
  let n = 0;
  for (const p of active) {
    const all = [...((p.status?.['initContainerStatuses'] as { restartCount?: number }[] | undefined) ?? []), ...(p.status?.containerStatuses ?? [])];
    for (const c of all) n += c.restartCount ?? 0;
  }
  return n;
}

function decideOutcome(job: Job, s: { succeeded: number; failed: number; restarts: number; active: number; startedAt: number; now: number }): Outcome {
  const spec = job.spec ?? {};
  const limit = spec.backoffLimit ?? 6;
  if (s.failed > limit || (s.restarts > 0 && s.restarts >= Math.max(1, limit))) return { type: 'FailureTarget', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  if (spec.activeDeadlineSeconds !== undefined && !spec.suspend && s.now - s.startedAt >= spec.activeDeadlineSeconds * 1000) {
    return { type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  }
  const done = spec.completions === undefined ? s.succeeded > 0 && s.active === 0 : s.succeeded >= spec.completions;
  if (done) return { type: 'SuccessCriteriaMet', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
  return undefined;
}

function finish(d: JobSyncDeps, job: Job, status: JobStatus, outcome: NonNullable<Outcome>, now: number): void {
  const type = outcome.type === 'SuccessCriteriaMet' ? 'Complete' : 'Failed';
  status.conditions = setCondition(status.conditions ?? [], type, 'True', outcome.reason, outcome.message, now);
  if (type === 'Complete') {
    status.completionTime = rfc3339(now);
    d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else d.recorder.event(job, 'Warning', outcome.reason, outcome.message);
}

async function claimPods(d: JobSyncDeps, job: Job): Promise<Pod[]> {
  const selector = selectorFromLabelSelector(job.spec?.selector);
  const candidates = d.pods.list(job.metadata.namespace).filter((p) => selector.matches(p.metadata.labels) || p.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid));
  return claimObjects(candidates, {
    client: d.client,
    resource: pods,
    owner: job,
    ownerApiVersion: 'batch/v1',
    ownerKind: 'Job',
    selector,
    canAdopt: recheckOwner(d.client, jobs, job),
  });
}

async function writeStatus(d: JobSyncDeps, job: Job, status: JobStatus): Promise<Job> {
  if (JSON.stringify(status) === JSON.stringify(job.status ?? {})) return job;
  return d.client.update<Job>(jobs, job.metadata.namespace, { ...job, status }, { subresource: 'status' });
}

/** Removes the tracking finalizer; returns the uids now free (or already gone). */
async function removeFinalizers(d: JobSyncDeps, list: Pod[]): Promise<Set<string>> {
  const done = new Set<string>();
  await Promise.all(
    list.map(async (p) => {
      const finalizers = (p.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
      try {
        await d.client.patch(pods, p.metadata.namespace, p.metadata.name ?? '', 'merge', {
          metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: p.metadata.resourceVersion },
        });
        done.add(p.metadata.uid ?? '');
      } catch (e) {
        if (isNotFound(e)) done.add(p.metadata.uid ?? '');
        // A conflict means the pod changed: the next sync sees it again.
      }
    }),
  );
  return done;
}

function scheduleDeadline(d: JobSyncDeps, job: Job, key: string, startedAt: number, now: number): void {
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads !== undefined && !job.spec?.suspend) d.requeueAfter(key, Math.max(0, startedAt + ads * 1000 - now));
}

/** ttlSecondsAfterFinished: delete the Job once it has been finished that long. */
async function expireFinished(d: JobSyncDeps, job: Job, key: string, now: number): Promise<void> {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const at = finishedAt(job);
  if (ttl === undefined || at === undefined) return;
  const due = at + ttl * 1000;
  if (now < due) return d.requeueAfter(key, due - now);
  try {
    await d.client.delete(jobs, job.metadata.namespace, job.metadata.name ?? '', {
      propagationPolicy: 'Background',
      preconditions: { uid: job.metadata.uid ?? '' },
    });
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

