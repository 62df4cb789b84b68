// The parts of batch/v1 Job and of Pod the Job and CronJob controllers read and write.

import type { KubeObject, ObjectMeta } from '../../api/meta.ts';
import type { LabelSelector } from '../../machinery/labels.ts';
import type { Condition, Pod } from '../common/types.ts';

export type PodFailurePolicyRule = {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status?: string }[];
};

export type JobSpec = {
  parallelism?: number;
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  ttlSecondsAfterFinished?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  suspend?: boolean;
  selector?: LabelSelector;
  podFailurePolicy?: { rules?: PodFailurePolicyRule[] };
  template?: { metadata?: ObjectMeta; spec?: Record<string, unknown> };
};

export type JobStatus = {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  completedIndexes?: string;
  uncountedTerminatedPods?: { succeeded?: string[]; failed?: string[] };
};

export type Job = KubeObject & { spec?: JobSpec; status?: JobStatus };

export type { Pod, Condition };

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
