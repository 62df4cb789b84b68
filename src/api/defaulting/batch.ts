// Defaults of the batch/v1 kinds.

import { registerDefaulter } from '../defaults.ts';
import type { KubeObject } from '../meta.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { child, maybe, ownLabels, setDefault, type Obj } from './util.ts';

export function defaultJob(obj: KubeObject): void {
  const spec = child(obj as Obj, 'spec');
  if (spec['completions'] === undefined && spec['parallelism'] === undefined) {
    spec['completions'] = 1;
    spec['parallelism'] = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'completionMode', 'NonIndexed');
  // Per-index back-off replaces the job-wide limit.
  setDefault(spec, 'backoffLimit', spec['backoffLimitPerIndex'] !== undefined ? 2147483647 : 6);
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', spec['podFailurePolicy'] !== undefined ? 'Failed' : 'TerminatingOrFailed');
  const template = child(spec, 'template');
  const labels = maybe(maybe(template, 'metadata') ?? {}, 'labels');
  const own = ownLabels(obj);
  if (labels && own && Object.keys(own.get()).length === 0) own.set({ ...(labels as Record<string, string>) });
  defaultPodTemplate(template);
}

/**
 * Call after the uid is assigned: unless the user manages the selector, a Job
 * selects its pods by its own uid (and labels them with it and its name).
 */
export function defaultJobSelector(obj: KubeObject): void {
  const spec = child(obj as Obj, 'spec');
  const objMeta = maybe(obj as Obj, 'metadata') ?? {};
  const uid = typeof objMeta['uid'] === 'string' ? objMeta['uid'] : undefined;
  const name = typeof objMeta['name'] === 'string' ? objMeta['name'] : undefined;
  if (spec['manualSelector'] === true || !uid || maybe(spec, 'selector') !== undefined) return;
  const meta = child(child(spec, 'template'), 'metadata');
  const labels = { ...(maybe(meta, 'labels') as Record<string, string> | undefined) };
  labels['batch.kubernetes.io/controller-uid'] = uid;
  labels['controller-uid'] = uid;
  if (name) {
    labels['batch.kubernetes.io/job-name'] = name;
    labels['job-name'] = name;
  }
  meta['labels'] = labels;
  spec['selector'] = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  // The Job's own labels follow its template's when the user gave none.
  const own = ownLabels(obj);
  if (own && (Object.keys(own.get()).length === 0 || sameLabelsExceptGenerated(own.get(), labels))) own.set({ ...labels });
}

// True when the Job's labels were copied from the template before the uid labels were added.
function sameLabelsExceptGenerated(own: Record<string, string>, withUid: Record<string, string>): boolean {
  const generated = new Set(['batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name']);
  const plain = Object.entries(withUid).filter(([k]) => !generated.has(k));
  return plain.length === Object.keys(own).length && plain.every(([k, v]) => own[k] === v);
}

export function defaultCronJob(obj: KubeObject): void {
  const spec = child(obj as Obj, 'spec');
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  defaultPodTemplate(child(child(child(spec, 'jobTemplate'), 'spec'), 'template'));
}

registerDefaulter('Job.batch', defaultJob);
registerDefaulter('CronJob.batch', defaultCronJob);
