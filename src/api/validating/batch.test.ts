import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultJobSelector } from '../defaulting/batch.ts';
import type { KubeObject } from '../meta.ts';
import { cronScheduleError } from './cron.ts';
import { check, type Any } from './test-helpers.ts';

const job = (): Any => {
  const j: Any = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'uid-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-e', '1'] }] } } },
  };
  defaultJobSelector(j as KubeObject);
  return j;
};

const cronJob = (): Any => ({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'hello', namespace: 'default' },
  spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } },
});

test('realistic jobs and cronjobs are valid', () => {
  assert.deepEqual(check('Job.batch', job()), []);
  assert.deepEqual(check('CronJob.batch', cronJob()), []);
});

test('job counts and restart policy', () => {
  const j = job();
  j['spec'].parallelism = -1;
  j['spec'].backoffLimit = -2;
  j['spec'].template.spec.restartPolicy = 'Always';
  assert.deepEqual(check('Job.batch', j), [
    'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  const i = job();
  i['spec'].completionMode = 'Indexed';
  delete i['spec'].completions;
  i['spec'].parallelism = 2;
  assert.deepEqual(check('Job.batch', i), ['spec.completions: Required value: when completion mode is Indexed']);
});

test('job selector must match and the template is immutable', () => {
  const j = job();
  j['spec'].selector = { matchLabels: { other: 'x' } };
  assert.match(check('Job.batch', j)[0] ?? '', /^spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`$/);
  const old = job();
  const next = job();
  next['spec'].template.spec.containers[0].image = 'perl:5.36';
  const errs = check('Job.batch', next, old);
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec\.template: Invalid value: .*: field is immutable$/);
  const suspended = job();
  suspended['spec'].suspend = true;
  assert.deepEqual(check('Job.batch', suspended, job()), []);
});

test('cron schedules', () => {
  assert.equal(cronScheduleError('@hourly'), undefined);
  assert.equal(cronScheduleError('0 0 * * MON-FRI'), undefined);
  assert.equal(cronScheduleError('0 9-17/2 1,15 jan *'), undefined);
  assert.equal(cronScheduleError('* * *'), 'expected exactly 5 fields, found 3: [* * *]');
  assert.equal(cronScheduleError('61 * * * *'), 'end of range (61) above maximum (59): 61');
  assert.equal(cronScheduleError('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  assert.equal(cronScheduleError('5-2 * * * *'), 'beginning of range (5) beyond end of range (2): 5-2');
  assert.equal(cronScheduleError('@often'), 'unrecognized descriptor: @often');
  assert.equal(cronScheduleError('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  assert.equal(cronScheduleError('*/0 * * * *'), 'step of range should be a positive number: */0');
});

test('cronjob schedule, time zone, policy and name length', () => {
  const c = cronJob();
  c['spec'].schedule = 'every minute';
  assert.deepEqual(check('CronJob.batch', c), ['spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]']);
  const none = cronJob();
  delete none['spec'].schedule;
  assert.deepEqual(check('CronJob.batch', none), ['spec.schedule: Required value']);
  const tz = cronJob();
  tz['spec'].schedule = 'CRON_TZ=UTC 0 * * * *';
  assert.deepEqual(check('CronJob.batch', tz), ['spec.schedule: Invalid value: "CRON_TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead']);
  const zone = cronJob();
  zone['spec'].timeZone = 'Mars/Olympus';
  assert.deepEqual(check('CronJob.batch', zone), ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus']);
  const ok = cronJob();
  ok['spec'].timeZone = 'Europe/Paris';
  assert.deepEqual(check('CronJob.batch', ok), []);
  const p = cronJob();
  p['spec'].concurrencyPolicy = 'Sometimes';
  assert.deepEqual(check('CronJob.batch', p), ['spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"']);
  const long = cronJob();
  long['metadata'].name = 'a'.repeat(53);
  assert.deepEqual(check('CronJob.batch', long), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  const restart = cronJob();
  restart['spec'].jobTemplate.spec.template.spec.restartPolicy = 'Always';
  assert.deepEqual(check('CronJob.batch', restart), ['spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
});
