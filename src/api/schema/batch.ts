// batch/v1: Job and CronJob. Proto tags follow k8s.io/api/batch/v1/generated.proto (v1.32).

import { array, boolean, core, field, gvk, int32, int64, meta, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const batch = (name: string): string => `io.k8s.api.batch.v1.${name}`;

const apiVersion = field('apiVersion', 0, string, 'Versioned schema of this representation of the object.');
const kind = field('kind', 0, string, 'REST resource this object represents.');

export const batchTypes: readonly TypeDef[] = [
  // Job
  type(batch('Job'), 'Runs pods until a number of them complete successfully.', [
    apiVersion,
    kind,
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the job.'),
    field('spec', 2, ref(batch('JobSpec')), 'Desired behaviour of the job.'),
    field('status', 3, ref(batch('JobStatus')), 'Most recently observed state of the job.'),
  ], { gvk: gvk('batch', 'v1', 'Job') }),
  type(batch('JobSpec'), 'Desired behaviour of a job.', [
    field('parallelism', 1, int32, 'Most pods the job runs at the same time.'),
    field('completions', 2, int32, 'Successful pods needed for the job to complete; unset means any one success.'),
    field('activeDeadlineSeconds', 3, int64, 'Seconds the job may stay active before it is terminated.'),
    field('podFailurePolicy', 11, ref(batch('PodFailurePolicy')), 'Rules deciding how pod failures count against backoffLimit.'),
    field('successPolicy', 16, ref(batch('SuccessPolicy')), 'Rules declaring an Indexed job succeeded before all indexes finish.'),
    field('backoffLimit', 7, int32, 'Retries before the job is marked failed; defaults to 6.'),
    field('backoffLimitPerIndex', 12, int32, 'Retries allowed per index of an Indexed job.'),
    field('maxFailedIndexes', 13, int32, 'Failed indexes tolerated before the whole job fails.'),
    field('selector', 4, ref(meta('LabelSelector')), 'Label query over the pods of the job; normally generated.'),
    field('manualSelector', 5, boolean, 'Lets the user choose the selector instead of having one generated.'),
    field('template', 6, ref(core('PodTemplateSpec')), 'Pod template run by the job; restartPolicy must be Never or OnFailure.', { required: true }),
    field('ttlSecondsAfterFinished', 8, int32, 'Seconds after finishing when the job may be deleted automatically.'),
    field('completionMode', 9, string, 'NonIndexed (default) or Indexed completion tracking.', { enum: ['Indexed', 'NonIndexed'] }),
    field('suspend', 10, boolean, 'When true the controller creates no pods and removes active ones.'),
    field('podReplacementPolicy', 14, string, 'When a replacement pod is created: TerminatingOrFailed or Failed.', { enum: ['Failed', 'TerminatingOrFailed'] }),
    field('managedBy', 15, string, 'Controller responsible for this job; the built-in one skips jobs owned by others.'),
  ]),
  type(batch('PodFailurePolicy'), 'How failed pods affect a job.', [
    field('rules', 1, array(ref(batch('PodFailurePolicyRule'))), 'Rules checked in order; the first match decides.', { required: true, listType: 'atomic' }),
  ]),
  type(batch('PodFailurePolicyRule'), 'An action taken when a failed pod meets its requirements.', [
    field('action', 1, string, 'FailJob, FailIndex, Ignore or Count.', { required: true, enum: ['Count', 'FailIndex', 'FailJob', 'Ignore'] }),
    field('onExitCodes', 2, ref(batch('PodFailurePolicyOnExitCodesRequirement')), 'Requirement on container exit codes.'),
    field('onPodConditions', 3, array(ref(batch('PodFailurePolicyOnPodConditionsPattern'))), 'Requirement on pod conditions; any match satisfies it.', { listType: 'atomic' }),
  ]),
  type(batch('PodFailurePolicyOnExitCodesRequirement'), 'Matches failed pods by container exit code.', [
    field('containerName', 1, string, 'Restricts the check to one container.'),
    field('operator', 2, string, 'In or NotIn.', { required: true, enum: ['In', 'NotIn'] }),
    field('values', 3, array(int32), 'Exit codes compared against.', { required: true, listType: 'set' }),
  ]),
  type(batch('PodFailurePolicyOnPodConditionsPattern'), 'Matches failed pods by a pod condition.', [
    field('type', 1, string, 'Pod condition type to match.', { required: true }),
    field('status', 2, string, 'Condition status to match; defaults to True.'),
  ]),
  type(batch('SuccessPolicy'), 'When an Indexed job counts as succeeded.', [
    field('rules', 1, array(ref(batch('SuccessPolicyRule'))), 'Alternative rules; meeting any one succeeds the job.', { required: true, listType: 'atomic' }),
  ]),
  type(batch('SuccessPolicyRule'), 'A set of indexes, or a count of them, whose success succeeds the job.', [
    field('succeededIndexes', 1, string, 'Index intervals such as "1,3-5" that must all succeed.'),
    field('succeededCount', 2, int32, 'How many of the listed (or all) indexes must succeed.'),
  ]),
  type(batch('JobStatus'), 'Observed state of a job.', [
    field('conditions', 1, array(ref(batch('JobCondition'))), 'Latest observations of the job state.', { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' }),
    field('startTime', 2, time, 'When the controller started processing the job.'),
    field('completionTime', 3, time, 'When the job completed successfully.'),
    field('active', 4, int32, 'Pending and running pods that are not terminating.'),
    field('succeeded', 5, int32, 'Pods that reached phase Succeeded.'),
    field('failed', 6, int32, 'Pods that reached phase Failed.'),
    field('terminating', 11, int32, 'Pods that are terminating.'),
    field('completedIndexes', 7, string, 'Completed indexes of an Indexed job, as intervals.'),
    field('failedIndexes', 10, string, 'Failed indexes when backoffLimitPerIndex is set, as intervals.'),
    field('uncountedTerminatedPods', 8, ref(batch('UncountedTerminatedPods')), 'Finished pods not yet added to the counters.'),
    field('ready', 9, int32, 'Active pods with a Ready condition.'),
  ]),
  type(batch('JobCondition'), "One observed aspect of a job's state.", [
    field('type', 1, string, 'Kind of condition, e.g. Complete or Failed.', { required: true }),
    field('status', 2, string, 'Whether the condition holds: True, False or Unknown.', { required: true }),
    field('lastProbeTime', 3, time, 'When the condition was last checked.'),
    field('lastTransitionTime', 4, time, 'When the condition last changed status.'),
    field('reason', 5, string, 'Machine-readable cause of the last transition.'),
    field('message', 6, string, 'Human-readable details about the last transition.'),
  ]),
  type(batch('UncountedTerminatedPods'), 'UIDs of finished pods not yet counted in the job status.', [
    field('succeeded', 1, array(string), 'UIDs of succeeded pods.', { listType: 'set' }),
    field('failed', 2, array(string), 'UIDs of failed pods.', { listType: 'set' }),
  ]),

  // CronJob
  type(batch('CronJob'), 'Creates jobs on a repeating schedule.', [
    apiVersion,
    kind,
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the cron job.'),
    field('spec', 2, ref(batch('CronJobSpec')), 'Schedule and job template of the cron job.'),
    field('status', 3, ref(batch('CronJobStatus')), 'Most recently observed state of the cron job.'),
  ], { gvk: gvk('batch', 'v1', 'CronJob') }),
  type(batch('CronJobSpec'), 'When and how a cron job creates jobs.', [
    field('schedule', 1, string, 'Schedule in cron format.', { required: true }),
    field('timeZone', 8, string, 'Time zone name for the schedule; defaults to that of the controller.'),
    field('startingDeadlineSeconds', 2, int64, 'Seconds after a missed time within which the job may still start.'),
    field('concurrencyPolicy', 3, string, 'Allow (default), Forbid or Replace concurrent runs.', { enum: ['Allow', 'Forbid', 'Replace'] }),
    field('suspend', 4, boolean, 'Stops future runs; running jobs are left alone.'),
    field('jobTemplate', 5, ref(batch('JobTemplateSpec')), 'Job created at each scheduled time.', { required: true }),
    field('successfulJobsHistoryLimit', 6, int32, 'Successful jobs to keep; defaults to 3.'),
    field('failedJobsHistoryLimit', 7, int32, 'Failed jobs to keep; defaults to 1.'),
  ]),
  type(batch('JobTemplateSpec'), 'Metadata and spec of the jobs a cron job creates.', [
    field('metadata', 1, ref(meta('ObjectMeta')), 'Metadata given to the created jobs.'),
    field('spec', 2, ref(batch('JobSpec')), 'Spec given to the created jobs.'),
  ]),
  type(batch('CronJobStatus'), 'Observed state of a cron job.', [
    field('active', 1, array(ref(core('ObjectReference'))), 'Jobs currently running.', { listType: 'atomic' }),
    field('lastScheduleTime', 4, time, 'When a job was last scheduled.'),
    field('lastSuccessfulTime', 5, time, 'When a job last completed successfully.'),
  ]),
];

registerTypes(batchTypes);
