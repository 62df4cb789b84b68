// The reconcile of one CronJob: track its Jobs, start the Job for the latest
// missed schedule time (within startingDeadlineSeconds, by concurrencyPolicy),
// prune finished Jobs beyond the history limits, and requeue for the next time.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import { rfc3339, type Clock } from '../../machinery/clock.ts';
import { isAlreadyExists, isNotFound } from '../../machinery/status.ts';
import { controllerOf, controllerRef } from '../common/controller-ref.ts';
import { splitKey } from '../common/keys.ts';
import { finishedAt, hasCondition, isFinished } from '../job/conditions.ts';
import type { Job, JobSpec } from '../job/types.ts';
import { formatInZone, mostRecentScheduleTime, parseSchedule, type Schedule } from './schedule.ts';

const jobsR = resourceForKind('batch', 'Job')!;
const cronjobsR = resourceForKind('batch', 'CronJob')!;

export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

type JobRef = { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string };

export type CronJob = KubeObject & {
  spec?: {
    schedule?: string;
    timeZone?: string;
    startingDeadlineSeconds?: number;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    successfulJobsHistoryLimit?: number;
    failedJobsHistoryLimit?: number;
    jobTemplate?: { metadata?: KubeObject['metadata']; spec?: JobSpec };
  };
  status?: { active?: JobRef[]; lastScheduleTime?: string; lastSuccessfulTime?: string };
};

export type CronJobSyncDeps = {
  client: Client;
  clock: Clock;
  cronjobs: Lister<CronJob>;
  jobs: Lister<Job>;
  recorder: EventRecorder;
  requeueAfter(key: string, ms: number): void;
};

export async function syncCronJob(d: CronJobSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = d.cronjobs.get(namespace, name);
  if (!cached) return;
  const cj = structuredClone(cached);
  const owned = d.jobs.list(namespace).filter((j) => controllerOf(j)?.uid === cj.metadata.uid);
  const status = structuredClone(cj.status ?? {});
  await trackJobs(d, cj, status, owned);
  if (!cj.metadata.deletionTimestamp && !cj.spec?.suspend) await maybeStart(d, cj, key, status);
  await writeStatus(d, cj, status);
  await pruneHistory(d, cj, owned);
}

/** Finished Jobs leave `active`; Jobs of ours that run are in it; vanished ones are dropped. */
async function trackJobs(d: CronJobSyncDeps, cj: CronJob, status: NonNullable<CronJob['status']>, owned: readonly Job[]): Promise<void> {
  let active = status.active ?? [];
  for (const j of owned) {
    const listed = active.some((r) => r.uid === j.metadata.uid);
    if (isFinished(j)) {
      if (listed) {
        active = active.filter((r) => r.uid !== j.metadata.uid);
        d.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${hasCondition(j, 'Complete') ? 'Complete' : 'Failed'}`);
      }
      const done = finishedAt(j);
      if (hasCondition(j, 'Complete') && done !== undefined && (!status.lastSuccessfulTime || Date.parse(status.lastSuccessfulTime) < done)) {
        status.lastSuccessfulTime = rfc3339(done);
      }
    } else if (!listed && !j.metadata.deletionTimestamp) active = [...active, refTo(j)];
  }
  const kept: JobRef[] = [];
  for (const r of active) {
    if (owned.some((j) => j.metadata.uid === r.uid)) kept.push(r);
    // Not in the cache: ask the API server before forgetting it (the cache may lag our create).
    else if (await exists(d, r)) kept.push(r);
    else d.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${r.name}`);
  }
  status.active = kept;
}

async function exists(d: CronJobSyncDeps, r: JobRef): Promise<boolean> {
  try {
    const j = await d.client.get<Job>(jobsR, r.namespace, r.name ?? '');
    return j.metadata.uid === r.uid && !isFinished(j);
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

const refTo = (j: Job): JobRef => ({
  kind: 'Job',
  namespace: j.metadata.namespace ?? '',
  name: j.metadata.name ?? '',
  uid: j.metadata.uid ?? '',
  apiVersion: 'batch/v1',
  resourceVersion: j.metadata.resourceVersion ?? '',
});

async function maybeStart(d: CronJobSyncDeps, cj: CronJob, key: string, status: NonNullable<CronJob['status']>): Promise<void> {
  const spec = cj.spec ?? {};
  const tz = spec.timeZone ?? 'UTC';
  let schedule: Schedule;
  try {
    schedule = parseSchedule(spec.schedule ?? '', tz);
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith('unknown time zone')) d.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(tz)}: ${msg}`);
    else d.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${msg}`);
    return;
  }
  const now = d.clock.now();
  let earliest = Date.parse(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? rfc3339(now));
  if (spec.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - spec.startingDeadlineSeconds * 1000);
  const { time: scheduled, missed } = mostRecentScheduleTime(schedule, earliest, now);
  const next = schedule.next(now);
  // A little past the minute, so the clock has surely reached it.
  if (next !== undefined) d.requeueAfter(key, next - now + 100);
  if (missed > 100) d.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
  if (scheduled === undefined) return;
  if (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
    d.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatInZone(scheduled, tz)}`);
    return;
  }
  const active = status.active ?? [];
  if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) return;
  if (spec.concurrencyPolicy === 'Replace') {
    for (const r of active) {
      try {
        await d.client.delete(jobsR, r.namespace, r.name ?? '', { propagationPolicy: 'Background' });
        d.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${r.name}`);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    status.active = [];
  }
  const job = jobFor(cj, scheduled, tz);
  let created: Job;
  try {
    created = await d.client.create<Job>(jobsR, job.metadata.namespace, job);
    d.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name}`);
  } catch (e) {
    if (!isAlreadyExists(e)) {
      d.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${(e as Error).message}`);
      throw e;
    }
    // Created by an earlier sync whose status write was lost.
    created = await d.client.get<Job>(jobsR, job.metadata.namespace, job.metadata.name ?? '');
    if (controllerOf(created)?.uid !== cj.metadata.uid) return;
  }
  if (!isFinished(created) && !(status.active ?? []).some((r) => r.uid === created.metadata.uid)) status.active = [...(status.active ?? []), refTo(created)];
  status.lastScheduleTime = rfc3339(scheduled);
}

/** The Job for one scheduled time: `<cronjob>-<minutes since the epoch>`. */
export function jobFor(cj: CronJob, scheduled: number, timeZone = 'UTC'): Job {
  const tpl = structuredClone(cj.spec?.jobTemplate ?? {});
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`,
      namespace: cj.metadata.namespace ?? 'default',
      labels: { ...(tpl.metadata?.labels ?? {}) },
      annotations: { ...(tpl.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP]: formatInZone(scheduled, timeZone) },
      ownerReferences: [controllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: tpl.spec ?? {},
  };
}

async function writeStatus(d: CronJobSyncDeps, cj: CronJob, status: NonNullable<CronJob['status']>): Promise<void> {
  if (JSON.stringify(status) === JSON.stringify(cj.status ?? {})) return;
  await d.client.update(cronjobsR, cj.metadata.namespace, { ...cj, status }, { subresource: 'status' });
}

/** Keeps the newest successfulJobsHistoryLimit completed and failedJobsHistoryLimit failed Jobs. */
async function pruneHistory(d: CronJobSyncDeps, cj: CronJob, owned: readonly Job[]): Promise<void> {
  const finished = owned.filter((j) => isFinished(j) && !j.metadata.deletionTimestamp);
  const order = (a: Job, b: Job) => (finishedAt(b) ?? 0) - (finishedAt(a) ?? 0) || (b.metadata.name ?? '').localeCompare(a.metadata.name ?? '');
  const succeeded = finished.filter((j) => hasCondition(j, 'Complete')).sort(order);
  const failed = finished.filter((j) => hasCondition(j, 'Failed')).sort(order);
  const doomed = [...succeeded.slice(cj.spec?.successfulJobsHistoryLimit ?? 3), ...failed.slice(cj.spec?.failedJobsHistoryLimit ?? 1)];
  for (const j of doomed) {
    try {
      await d.client.delete(jobsR, j.metadata.namespace, j.metadata.name ?? '', { propagationPolicy: 'Background' });
      d.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
