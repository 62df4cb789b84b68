// Keeping a running Job at its parallelism: create missing pods (in slow-start
// batches, after the failure back-off), delete surplus ones.

import { resourceForKind } from '../../api/scheme.ts';
import { isNotFound } from '../../machinery/status.ts';
import { creationTime, isReady } from '../statefulset/pod-state.ts';
import { indexOf, podForJob } from './pod-template.ts';
import type { JobSyncDeps } from './sync.ts';
import type { Job, Pod } from './types.ts';

const pods = resourceForKind('', 'Pod')!;

type Counts = { active: Pod[]; succeeded: number; completed: Set<number>; failed: number; now: number };

export async function manageJobPods(d: JobSyncDeps, job: Job, key: string, c: Counts): Promise<{ active: Pod[] }> {
  const spec = job.spec ?? {};
  if (spec.suspend) {
    if (c.active.length) await deleteJobPods(d, job, key, c.active);
    return { active: [] };
  }
  const parallelism = spec.parallelism ?? 1;
  const indexed = spec.completionMode === 'Indexed';
  let want: number;
  if (spec.completions === undefined) want = c.succeeded > 0 ? 0 : parallelism;
  else want = Math.max(0, Math.min(parallelism, spec.completions - (indexed ? c.completed.size : c.succeeded)));

  if (c.active.length > want) {
    // Surplus: not-ready and newest pods go first.
    const order = [...c.active].sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || creationTime(b) - creationTime(a));
    const victims = order.slice(0, c.active.length - want);
    await deleteJobPods(d, job, key, victims);
    return { active: c.active.filter((p) => !victims.includes(p)) };
  }
  const missing = want - c.active.length;
  if (missing <= 0) return { active: c.active };

  const wait = backoffRemaining(d, key, c.failed, c.now);
  if (wait > 0) {
    d.requeueAfter(key, wait);
    return { active: c.active };
  }
  const toCreate: Pod[] = [];
  if (indexed) {
    const busy = new Set(c.active.map(indexOf));
    for (let i = 0; toCreate.length < missing && i < (spec.completions ?? 0); i++) {
      if (!c.completed.has(i) && !busy.has(i)) toCreate.push(podForJob(job, i));
    }
  } else for (let i = 0; i < missing; i++) toCreate.push(podForJob(job));
  const created = await createSlowStart(d, job, key, toCreate);
  return { active: [...c.active, ...created] };
}

function backoffRemaining(d: JobSyncDeps, key: string, failed: number, now: number): number {
  const last = d.lastFailure.get(key);
  if (last === undefined || failed === 0 || d.backoffBaseMs <= 0) return 0;
  const delay = Math.min(d.backoffBaseMs * 2 ** Math.min(failed - 1, 30), d.backoffMaxMs);
  return Math.max(0, last + delay - now);
}

/** Batches of 1, 2, 4, …: a template that cannot be created fails once, not `parallelism` times. */
async function createSlowStart(d: JobSyncDeps, job: Job, key: string, list: Pod[]): Promise<Pod[]> {
  d.expectations.expectCreations(key, list.length);
  const out: Pod[] = [];
  let batch = 1;
  for (let i = 0; i < list.length; ) {
    const chunk = list.slice(i, i + batch);
    const results = await Promise.allSettled(chunk.map((p) => d.client.create<Pod>(pods, p.metadata.namespace, p)));
    let failedErr: unknown;
    for (const r of results) {
      if (r.status === 'fulfilled') {
        out.push(r.value);
        d.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata.name}`);
      } else {
        d.expectations.creationObserved(key);
        failedErr ??= r.reason;
      }
    }
    i += chunk.length;
    if (failedErr !== undefined) {
      for (; i < list.length; i++) d.expectations.creationObserved(key);
      d.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${(failedErr as Error).message}`);
      throw failedErr;
    }
    batch *= 2;
  }
  return out;
}

export async function deleteJobPods(d: JobSyncDeps, job: Job, key: string, list: Pod[]): Promise<void> {
  d.expectations.expectDeletions(key, list.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  await Promise.all(
    list.map(async (p) => {
      try {
        await d.client.delete(pods, p.metadata.namespace, p.metadata.name ?? '');
        d.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (e) {
        d.expectations.deletionObserved(key, `${p.metadata.namespace}/${p.metadata.name}`);
        if (!isNotFound(e)) throw e;
      }
    }),
  );
}
