// The Job controller: Jobs and their pods feed one queue of Job keys.

import { resourceForKind } from '../../api/scheme.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Informer } from '../../client/interfaces.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import { keyOf } from '../common/keys.ts';
import { ownerKey, podKey, startLoop, type Loop } from '../statefulset/run-loop.ts';
import type { ControllerContext } from '../types.ts';
import { syncJob, type JobSyncDeps } from './sync.ts';
import type { Job, Pod } from './types.ts';

export type JobControllerOptions = { backoffBaseMs?: number; backoffMaxMs?: number };

export function startJobController(ctx: ControllerContext, opts: JobControllerOptions = {}): Loop {
  const jobs = ctx.informers.informerFor<Job>(resourceForKind('batch', 'Job')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const expectations = new ControllerExpectations(ctx.clock);
  const deps: JobSyncDeps = {
    client: ctx.client,
    clock: ctx.clock,
    jobs: jobs.lister,
    pods: pods.lister,
    expectations,
    recorder: ctx.recorder('job-controller'),
    requeueAfter: (key, ms) => loop.queue.addAfter(key, ms),
    backoffBaseMs: opts.backoffBaseMs ?? 10_000,
    backoffMaxMs: opts.backoffMaxMs ?? 360_000,
    lastFailure: new Map(),
  };
  const loop = startLoop(ctx, 'job', [jobs, pods] as Informer<KubeObject>[], (key) => syncJob(deps, key));
  const enqueue = (j: Job) => loop.queue.add(keyOf(j));
  jobs.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  pods.addEventHandler({
    onAdd(p) {
      const k = ownerKey(p, 'Job');
      if (!k) return;
      expectations.creationObserved(k);
      loop.queue.add(k);
    },
    onUpdate(o, n) {
      const k = ownerKey(n, 'Job');
      const old = ownerKey(o, 'Job');
      if (old && old !== k) loop.queue.add(old);
      if (!k) return;
      if (n.metadata.deletionTimestamp && !o.metadata.deletionTimestamp) expectations.deletionObserved(k, podKey(n));
      loop.queue.add(k);
    },
    onDelete(p) {
      const k = ownerKey(p, 'Job');
      if (!k) return;
      expectations.deletionObserved(k, podKey(p));
      loop.queue.add(k);
    },
  });
  return loop;
}
