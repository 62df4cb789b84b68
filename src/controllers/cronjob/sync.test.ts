import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { startSyncEnv, type SyncEnv } from '../statefulset/test-env.ts';
import type { Job } from '../job/types.ts';
import { SCHEDULED_TIMESTAMP, syncCronJob, type CronJob, type CronJobSyncDeps } from './sync.ts';

const cronjobs = resourceForKind('batch', 'CronJob')!;
const jobs = resourceForKind('batch', 'Job')!;
let env: SyncEnv;
let deps: CronJobSyncDeps;

before(async () => {
  env = await startSyncEnv();
  deps = {
    client: env.client,
    clock: env.clock,
    cronjobs: env.lister<CronJob>('batch', 'CronJob'),
    jobs: env.lister<Job>('batch', 'Job'),
    recorder: env.recorder,
    requeueAfter: env.requeueAfter,
  };
});
after(() => env.stop());

const jobTemplate = { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };

async function createCron(name: string, spec: Record<string, unknown>): Promise<CronJob> {
  return env.client.create<CronJob>(cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { jobTemplate, ...spec } });
}

async function sync(name: string): Promise<CronJob> {
  await env.refresh();
  await syncCronJob(deps, `default/${name}`);
  return env.client.get<CronJob>(cronjobs, 'default', name);
}

const jobsOf = async (cj: string): Promise<Job[]> =>
  (await env.client.list<Job>(jobs, 'default')).items.filter((j) => j.metadata.ownerReferences?.[0]?.name === cj && !j.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));

async function finishJob(j: Job, type: 'Complete' | 'Failed'): Promise<void> {
  const ts = rfc3339(env.clock.now());
  const fresh = await env.client.get<Job>(jobs, 'default', j.metadata.name ?? '');
  const cond = (t: string) => ({ type: t, status: 'True', lastTransitionTime: ts, lastProbeTime: ts, reason: 'x', message: 'x' });
  const status = type === 'Complete'
    ? { startTime: ts, completionTime: ts, succeeded: 1, conditions: [cond('SuccessCriteriaMet'), cond('Complete')] }
    : { startTime: ts, failed: 1, conditions: [cond('FailureTarget'), cond('Failed')] };
  await env.client.update(jobs, 'default', { ...fresh, status }, { subresource: 'status' });
}

test('every minute: one Job per minute in fake time, named by minutes since the epoch', async () => {
  await createCron('tick', { schedule: '*/1 * * * *' });
  let cj = await sync('tick');
  assert.equal((await jobsOf('tick')).length, 0, 'nothing before the first minute');
  assert.equal(env.requeues.get('default/tick'), 60_100);
  for (let i = 1; i <= 3; i++) {
    env.clock.advance(60_000);
    cj = await sync('tick');
  }
  const list = await jobsOf('tick');
  const t0 = Date.UTC(2026, 0, 1, 12, 0, 0) / 60_000;
  assert.deepEqual(list.map((j) => j.metadata.name), [`tick-${t0 + 1}`, `tick-${t0 + 2}`, `tick-${t0 + 3}`]);
  assert.equal(list[0]!.metadata.annotations?.[SCHEDULED_TIMESTAMP], '2026-01-01T12:01:00Z');
  assert.equal(cj.status?.active?.length, 3);
  assert.equal(cj.status?.lastScheduleTime, '2026-01-01T12:03:00Z');
  await finishJob(list[0]!, 'Complete');
  cj = await sync('tick');
  assert.equal(cj.status?.active?.length, 2);
  assert.equal(cj.status?.lastSuccessfulTime, rfc3339(env.clock.now()));
});

test('Forbid skips while a Job runs; Replace deletes the running one', async () => {
  await createCron('forbid', { schedule: '* * * * *', concurrencyPolicy: 'Forbid' });
  env.clock.advance(60_000);
  await sync('forbid');
  env.clock.advance(60_000);
  await sync('forbid');
  assert.equal((await jobsOf('forbid')).length, 1);
  await createCron('replace', { schedule: '* * * * *', concurrencyPolicy: 'Replace' });
  env.clock.advance(60_000);
  await sync('replace');
  const [first] = await jobsOf('replace');
  env.clock.advance(60_000);
  const cj = await sync('replace');
  const now = await jobsOf('replace');
  assert.equal(now.length, 1);
  assert.notEqual(now[0]!.metadata.name, first!.metadata.name);
  assert.deepEqual(cj.status?.active?.map((r) => r.name), [now[0]!.metadata.name]);
});

test('suspend, startingDeadlineSeconds and history limits', async () => {
  await createCron('sus', { schedule: '* * * * *', suspend: true });
  env.clock.advance(120_000);
  await sync('sus');
  assert.equal((await jobsOf('sus')).length, 0);

  await createCron('late', { schedule: '0 * * * *', startingDeadlineSeconds: 10 });
  // The controller was down at the top of the hour and comes back 30 s late.
  const toHour = 3_600_000 - (env.clock.now() % 3_600_000);
  env.clock.advance(toHour + 30_000);
  await sync('late');
  assert.equal((await jobsOf('late')).length, 0, 'the missed start is past its deadline');
  env.clock.advance(3_600_000 - 30_000 + 5_000);
  await sync('late');
  assert.equal((await jobsOf('late')).length, 1, 'the next one starts within it');

  await createCron('hist', { schedule: '* * * * *', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 });
  for (let i = 0; i < 4; i++) {
    env.clock.advance(60_000);
    await sync('hist');
    const open = (await jobsOf('hist')).filter((j) => !j.status?.conditions?.length);
    for (const j of open) await finishJob(j, i === 3 ? 'Failed' : 'Complete');
  }
  await sync('hist');
  const left = await jobsOf('hist');
  assert.equal(left.length, 2, 'one succeeded and one failed are kept');
});

test('time zones: the schedule is read on the zone\'s wall clock', async () => {
  await createCron('tz', { schedule: '30 * * * *', timeZone: 'Asia/Kolkata' });
  // Kolkata is UTC+5:30: minute 30 there is minute 0 in UTC.
  const toHour = 3_600_000 - (env.clock.now() % 3_600_000);
  env.clock.advance(toHour + 1000);
  await sync('tz');
  const [j] = await jobsOf('tz');
  assert.ok(j, 'created at the top of the UTC hour');
  assert.match(j.metadata.annotations?.[SCHEDULED_TIMESTAMP] ?? '', /:30:00\+05:30$/);
});
