// The CronJob controller: CronJobs and the Jobs they own feed one queue; each
// sync requeues its key for the next schedule time (through the Clock).

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Informer } from '../../client/interfaces.ts';
import { keyOf } from '../common/keys.ts';
import type { Job } from '../job/types.ts';
import { ownerKey, startLoop, type Loop } from '../statefulset/run-loop.ts';
import type { ControllerContext } from '../types.ts';
import { syncCronJob, type CronJob, type CronJobSyncDeps } from './sync.ts';

export function startCronJobController(ctx: ControllerContext): Loop {
  const cronjobs = ctx.informers.informerFor<CronJob>(resourceForKind('batch', 'CronJob')!);
  const jobs = ctx.informers.informerFor<Job>(resourceForKind('batch', 'Job')!);
  const deps: CronJobSyncDeps = {
    client: ctx.client,
    clock: ctx.clock,
    cronjobs: cronjobs.lister,
    jobs: jobs.lister,
    recorder: ctx.recorder('cronjob-controller'),
    requeueAfter: (key, ms) => loop.queue.addAfter(key, ms),
  };
  const loop = startLoop(ctx, 'cronjob', [cronjobs, jobs] as Informer<KubeObject>[], (key) => syncCronJob(deps, key));
  const enqueue = (c: CronJob) => loop.queue.add(keyOf(c));
  cronjobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  const onJob = (j: Job) => {
    const k = ownerKey(j, 'CronJob');
    if (k) loop.queue.add(k);
  };
  jobs.addEventHandler({ onAdd: onJob, onUpdate: (_o, n) => onJob(n), onDelete: onJob });
  return loop;
}
