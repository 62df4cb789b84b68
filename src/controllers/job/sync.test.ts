import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { ControllerExpectations } from '../common/expectations.ts';
import type { Pod } from '../common/types.ts';
import { podTemplate, startSyncEnv, type SyncEnv } from '../statefulset/test-env.ts';
import { syncJob, type JobSyncDeps } from './sync.ts';
import { COMPLETION_INDEX, JOB_TRACKING_FINALIZER, type Job } from './types.ts';

const jobs = resourceForKind('batch', 'Job')!;
let env: SyncEnv;
let deps: JobSyncDeps;

before(async () => {
  env = await startSyncEnv();
  deps = {
    client: env.client,
    clock: env.clock,
    jobs: env.lister<Job>('batch', 'Job'),
    pods: env.lister<Pod>('', 'Pod'),
    expectations: new ControllerExpectations(env.clock),
    recorder: env.recorder,
    requeueAfter: env.requeueAfter,
    backoffBaseMs: 10_000,
    backoffMaxMs: 360_000,
    lastFailure: new Map(),
  };
});
after(() => env.stop());

async function createJob(name: string, spec: Record<string, unknown>): Promise<Job> {
  return env.client.create<Job>(jobs, 'default', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: podTemplate({ app: name }, 'Never'), ...spec },
  });
}

async function sync(name: string): Promise<Job> {
  await env.refresh();
  // The cache has seen everything: nothing is pending.
  deps.expectations.delete(`default/${name}`);
  await syncJob(deps, `default/${name}`);
  return env.client.get<Job>(jobs, 'default', name);
}

const mine = async (job: string): Promise<Pod[]> => (await env.pods()).filter((p) => p.metadata.ownerReferences?.[0]?.name === job);
const cond = (j: Job, type: string) => j.status?.conditions?.find((c) => c.type === type);

test('completions 5 with parallelism 2 runs two at a time and completes', async () => {
  await createJob('five', { completions: 5, parallelism: 2 });
  let job = await sync('five');
  let pods = await mine('five');
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)));
  assert.equal(job.status?.active, 2);
  assert.ok(job.status?.startTime);
  for (let round = 0; round < 5; round++) {
    const running = (await mine('five')).filter((p) => !p.status?.phase || p.status.phase === 'Pending');
    if (running[0]) await env.setPodStatus(running[0], 'Succeeded');
    env.clock.advance(1000);
    job = await sync('five');
  }
  job = await sync('five');
  pods = await mine('five');
  assert.equal(job.status?.succeeded, 5);
  assert.equal(job.status?.active, 0);
  assert.equal(cond(job, 'SuccessCriteriaMet')?.status, 'True');
  assert.equal(cond(job, 'Complete')?.status, 'True');
  assert.equal(cond(job, 'Complete')?.reason, 'CompletionsReached');
  assert.ok(job.status?.completionTime);
  assert.deepEqual(job.status?.uncountedTerminatedPods, {});
  assert.equal(pods.length, 5);
  assert.ok(pods.every((p) => !p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)), 'finalizers removed once counted');
  assert.ok(env.events.includes('Normal Completed Job completed'));
});

test('backoffLimit: failures are counted, then the Job fails with BackoffLimitExceeded', async () => {
  await createJob('flaky', { backoffLimit: 1 });
  await sync('flaky');
  let [p] = await mine('flaky');
  await env.setPodStatus(p!, 'Failed');
  let job = await sync('flaky');
  assert.equal(job.status?.failed, 1);
  assert.equal((await mine('flaky')).length, 1, 'the replacement waits for the back-off');
  assert.equal(env.requeues.get('default/flaky'), 10_000);
  env.clock.advance(10_000);
  job = await sync('flaky');
  const pods = await mine('flaky');
  assert.equal(pods.length, 2);
  p = pods.find((x) => x.status?.phase !== 'Failed');
  await env.setPodStatus(p!, 'Failed');
  job = await sync('flaky');
  assert.equal(job.status?.failed, 2);
  assert.equal(cond(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
  assert.equal(cond(job, 'Failed')?.status, 'True');
  assert.equal(cond(job, 'Failed')?.message, 'Job has reached the specified backoff limit');
  assert.equal(job.status?.completionTime, undefined);
});

test('activeDeadlineSeconds fails the Job with DeadlineExceeded and removes its running pods', async () => {
  await createJob('slow', { activeDeadlineSeconds: 30, parallelism: 2, completions: 4 });
  await sync('slow');
  assert.equal(env.requeues.get('default/slow'), 30_000);
  env.clock.advance(30_000);
  let job = await sync('slow');
  assert.equal(cond(job, 'FailureTarget')?.reason, 'DeadlineExceeded');
  // The deleted pods carry the finalizer until counted.
  job = await sync('slow');
  assert.equal(cond(job, 'Failed')?.reason, 'DeadlineExceeded');
  assert.equal(job.status?.failed, 2);
  assert.equal((await mine('slow')).length, 0);
});

test('Indexed completion mode: one pod per index, completedIndexes, hostname and env', async () => {
  await createJob('idx', { completionMode: 'Indexed', completions: 3, parallelism: 3 });
  await sync('idx');
  const pods = await mine('idx');
  const indexes = pods.map((p) => p.metadata.annotations?.[COMPLETION_INDEX]).sort();
  assert.deepEqual(indexes, ['0', '1', '2']);
  const p1 = pods.find((p) => p.metadata.labels?.[COMPLETION_INDEX] === '1')!;
  assert.equal((p1.spec as { hostname?: string }).hostname, 'idx-1');
  assert.ok(JSON.stringify(p1.spec).includes('JOB_COMPLETION_INDEX'));
  await env.setPodStatus(p1, 'Succeeded');
  let job = await sync('idx');
  assert.equal(job.status?.completedIndexes, '1');
  const p0 = pods.find((p) => p.metadata.labels?.[COMPLETION_INDEX] === '0')!;
  await env.setPodStatus(p0, 'Failed');
  job = await sync('idx');
  env.clock.advance(10_000);
  job = await sync('idx');
  const again = (await mine('idx')).filter((p) => p.metadata.labels?.[COMPLETION_INDEX] === '0');
  assert.equal(again.length, 2, 'index 0 is retried');
  for (const p of await mine('idx')) if (!p.status?.phase || p.status.phase === 'Pending') await env.setPodStatus(p, 'Succeeded');
  job = await sync('idx');
  assert.equal(job.status?.completedIndexes, '0-2');
  assert.equal(cond(job, 'Complete')?.status, 'True');
});

test('podFailurePolicy: Ignore does not count, FailJob fails at once', async () => {
  await createJob('policy', {
    backoffLimit: 5,
    podFailurePolicy: {
      rules: [
        { action: 'Ignore', onExitCodes: { operator: 'In', values: [7] } },
        { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
      ],
    },
  });
  await sync('policy');
  let [p] = await mine('policy');
  await env.setPodStatus(p!, 'Failed', { exitCode: 7 });
  let job = await sync('policy');
  assert.equal(job.status?.failed ?? 0, 0);
  assert.equal((await mine('policy')).length, 2, 'replaced without back-off');
  p = (await mine('policy')).find((x) => x.status?.phase !== 'Failed');
  await env.setPodStatus(p!, 'Failed', { exitCode: 42 });
  job = await sync('policy');
  assert.equal(cond(job, 'Failed')?.reason, 'PodFailurePolicy');
  assert.match(cond(job, 'Failed')?.message ?? '', /failed with exit code 42 matching FailJob rule at index 1/);
});

test('podFailurePolicy onPodConditions: a pod failed by an eviction (DisruptionTarget) is ignored, one failed on its own counts', async () => {
  await createJob('disrupted', { backoffLimit: 5, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] } });
  await sync('disrupted');
  const [p] = await mine('disrupted');
  // Evicted through the API: the eviction marks it, then its kubelet reports it Failed (exit 137) keeping the mark.
  const r = await fetch(`${env.cluster.url}/api/v1/namespaces/default/pods/${p!.metadata.name}/eviction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p!.metadata.name, namespace: 'default' } }),
  });
  assert.equal(r.status, 201);
  const marked = await env.client.get<Pod>(resourceForKind('', 'Pod')!, 'default', p!.metadata.name ?? '');
  const failed = await env.setPodStatus(marked, 'Failed', { exitCode: 137 });
  await env.client.patch(resourceForKind('', 'Pod')!, 'default', failed.metadata.name ?? '', 'strategic', { status: { conditions: marked.status?.conditions?.filter((c) => c.type === 'DisruptionTarget') } }, { subresource: 'status' });
  let job = await sync('disrupted');
  assert.equal(job.status?.failed ?? 0, 0, 'the disruption is not counted');
  const next = (await mine('disrupted')).find((x) => x.metadata.uid !== p!.metadata.uid && !x.metadata.deletionTimestamp);
  assert.ok(next, 'replaced');
  await env.setPodStatus(next, 'Failed', { exitCode: 1 });
  job = await sync('disrupted');
  assert.equal(job.status?.failed, 1, 'a failure of its own counts');
});

test('ttlSecondsAfterFinished deletes the Job after it finished', async () => {
  await createJob('ttl', { ttlSecondsAfterFinished: 60 });
  await sync('ttl');
  const [p] = await mine('ttl');
  await env.setPodStatus(p!, 'Succeeded');
  const job = await sync('ttl');
  assert.equal(cond(job, 'Complete')?.status, 'True');
  assert.equal(env.requeues.get('default/ttl'), 60_000);
  env.clock.advance(60_000);
  await env.refresh();
  await syncJob(deps, 'default/ttl');
  await assert.rejects(env.client.get(jobs, 'default', 'ttl'), /not found/);
});

test('suspend removes the running pods and sets Suspended; resuming starts them again', async () => {
  await createJob('sleepy', { parallelism: 2, completions: 2 });
  await sync('sleepy');
  assert.equal((await mine('sleepy')).length, 2);
  await env.client.patch(jobs, 'default', 'sleepy', 'merge', { spec: { suspend: true } });
  let job = await sync('sleepy');
  assert.equal(cond(job, 'Suspended')?.status, 'True');
  job = await sync('sleepy');
  assert.equal((await mine('sleepy')).filter((p) => !p.metadata.deletionTimestamp).length, 0);
  await env.client.patch(jobs, 'default', 'sleepy', 'merge', { spec: { suspend: false } });
  job = await sync('sleepy');
  assert.equal(cond(job, 'Suspended')?.status, 'False');
  assert.equal(cond(job, 'Suspended')?.reason, 'JobResumed');
  assert.equal((await mine('sleepy')).filter((p) => !p.metadata.deletionTimestamp).length, 2);
});

test('pods of a deleted Job lose their tracking finalizer', async () => {
  await createJob('gone', { parallelism: 2, completions: 2 });
  await sync('gone');
  assert.equal((await mine('gone')).length, 2);
  await env.client.delete(jobs, 'default', 'gone', { propagationPolicy: 'Orphan' });
  await env.refresh();
  await syncJob(deps, 'default/gone');
  const pods = await mine('gone');
  assert.equal(pods.length, 2);
  assert.ok(pods.every((p) => !p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER)));
});

test('restartPolicy OnFailure: container restarts count against the backoffLimit', async () => {
  await env.client.create<Job>(jobs, 'default', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'restarts' },
    spec: { backoffLimit: 2, template: podTemplate({ app: 'restarts' }, 'OnFailure') },
  });
  await sync('restarts');
  const [p] = await mine('restarts');
  const fresh = await env.setPodStatus(p!, 'Running');
  const status = { ...fresh.status, containerStatuses: [{ name: 'c', ready: false, restartCount: 2, image: 'x', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } }] };
  await env.client.update(resourceForKind('', 'Pod')!, 'default', { ...fresh, status } as Pod, { subresource: 'status' });
  let job = await sync('restarts');
  assert.equal(cond(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
  job = await sync('restarts');
  assert.equal(cond(job, 'Failed')?.status, 'True');
});
