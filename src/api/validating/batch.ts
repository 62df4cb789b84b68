// batch/v1 validation: Job and CronJob.

import { nameIsDNSSubdomain } from '../../machinery/names.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { cronScheduleError, isKnownTimeZone } from './cron.ts';
import { validatePodTemplate } from './pod-spec.ts';
import { deepEqual, immutable, nonNegative, obj, str, validateLabelSelector, validateMeta, validateWorkloadSelector, type Obj } from './util.ts';

const jobRestart = ['OnFailure', 'Never'] as const;

/** JobSpec rules shared by Jobs and CronJob templates; Jobs also need a selector. */
export function validateJobSpec(spec: Obj, path: string, requireSelector: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    errs.push(...nonNegative(`${path}.${f}`, spec[f]));
  }
  const mode = spec['completionMode'];
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldNotSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec['completions'] === undefined) errs.push(fieldRequired(`${path}.completions`, 'when completion mode is Indexed'));
  if (spec['backoffLimitPerIndex'] !== undefined && mode !== 'Indexed') {
    errs.push(fieldInvalid(`${path}.backoffLimitPerIndex`, spec['backoffLimitPerIndex'], 'requires indexed completion mode'));
  }
  const replacement = spec['podReplacementPolicy'];
  if (replacement !== undefined && replacement !== 'TerminatingOrFailed' && replacement !== 'Failed') {
    errs.push(fieldNotSupported(`${path}.podReplacementPolicy`, replacement, ['TerminatingOrFailed', 'Failed']));
  }
  const template = obj(spec['template']);
  if (requireSelector) {
    errs.push(...validateWorkloadSelector(spec['selector'], obj(template['metadata'])['labels'], `${path}.selector`, `${path}.template`, 'job'));
  } else {
    errs.push(...validateLabelSelector(spec['selector'], `${path}.selector`));
  }
  errs.push(...validatePodTemplate(spec['template'], `${path}.template`, jobRestart));
  const rp = obj(template['spec'])['restartPolicy'];
  if (rp === undefined || rp === '') errs.push(fieldRequired(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  return errs;
}

export function validateJob(job: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(job, old, true, nameIsDNSSubdomain);
  const spec = obj(job['spec']);
  errs.push(...validateJobSpec(spec, 'spec', true));
  if (old) {
    const oldSpec = obj(old['spec']);
    errs.push(...immutable('spec.selector', spec['selector'], oldSpec['selector']));
    errs.push(...immutable('spec.completionMode', spec['completionMode'], oldSpec['completionMode']));
    errs.push(...immutable('spec.podFailurePolicy', spec['podFailurePolicy'], oldSpec['podFailurePolicy']));
    // Before a suspended Job first starts, its scheduling directives may still change.
    const notStarted = oldSpec['suspend'] === true && obj(old['status'])['startTime'] === undefined;
    if (!deepEqual(templateCore(spec['template'], notStarted), templateCore(oldSpec['template'], notStarted))) {
      errs.push(fieldInvalid('spec.template', spec['template'] ?? null, 'field is immutable'));
    }
    // Only indexed Jobs may change completions, and then only along with parallelism.
    if (spec['completionMode'] !== 'Indexed') errs.push(...immutable('spec.completions', spec['completions'], oldSpec['completions']));
  }
  return errs;
}

function templateCore(template: unknown, schedulingMutable: boolean): unknown {
  if (!schedulingMutable) return template;
  const t = structuredClone(obj(template));
  const meta = obj(t['metadata']);
  delete meta['labels'];
  delete meta['annotations'];
  const spec = obj(t['spec']);
  for (const f of ['nodeSelector', 'tolerations', 'affinity', 'schedulingGates']) delete spec[f];
  return { ...t, metadata: meta, spec };
}

const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'] as const;

export function validateCronJob(cj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(cj, old, true, nameIsDNSSubdomain);
  const name = str(obj(cj.metadata)['name']);
  // Job names get an 11-character suffix and must stay DNS labels.
  if (name.length > 52) errs.push(fieldInvalid('metadata.name', name, 'must be no more than 52 characters'));
  const spec = obj(cj['spec']);
  const schedule = str(spec['schedule']);
  if (!schedule) errs.push(fieldRequired('spec.schedule'));
  else if (schedule.includes('TZ')) errs.push(fieldInvalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  else {
    const err = cronScheduleError(schedule);
    if (err) errs.push(fieldInvalid('spec.schedule', schedule, err));
  }
  const tz = spec['timeZone'];
  if (typeof tz === 'string') {
    if (tz.toLowerCase() === 'local') errs.push(fieldInvalid('spec.timeZone', tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
    else if (!isKnownTimeZone(tz)) errs.push(fieldInvalid('spec.timeZone', tz, `unknown time zone ${tz}`));
  }
  const policy = spec['concurrencyPolicy'];
  if (policy !== undefined && !concurrencyPolicies.includes(policy as 'Allow')) errs.push(fieldNotSupported('spec.concurrencyPolicy', policy, concurrencyPolicies));
  for (const f of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...nonNegative(`spec.${f}`, spec[f]));
  const jobTemplate = spec['jobTemplate'];
  if (jobTemplate === undefined || jobTemplate === null) errs.push(fieldRequired('spec.jobTemplate'));
  else errs.push(...validateJobSpec(obj(obj(jobTemplate)['spec']), 'spec.jobTemplate.spec', false));
  return errs;
}

registerValidator('Job.batch', validateJob);
registerValidator('CronJob.batch', validateCronJob);
