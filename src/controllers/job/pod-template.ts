// The pod a Job creates: its template, owned by the Job, carrying the tracking
// finalizer so the pod cannot vanish before the Job has counted it.

import type { Pod } from '../common/types.ts';
import { controllerRef } from '../common/controller-ref.ts';
import { COMPLETION_INDEX, JOB_TRACKING_FINALIZER, type Job } from './types.ts';

export function podForJob(job: Job, index?: number): Pod {
  const tpl = structuredClone(job.spec?.template ?? {});
  const name = job.metadata.name ?? '';
  const labels = { ...(tpl.metadata?.labels ?? {}) };
  const annotations = { ...(tpl.metadata?.annotations ?? {}) };
  const spec: Record<string, unknown> = { ...(tpl.spec ?? {}) };
  if (index !== undefined) {
    labels[COMPLETION_INDEX] = String(index);
    annotations[COMPLETION_INDEX] = String(index);
    if (spec['hostname'] === undefined) spec['hostname'] = `${name}-${index}`;
    spec['containers'] = withIndexEnv(spec['containers']);
    if (Array.isArray(spec['initContainers'])) spec['initContainers'] = withIndexEnv(spec['initContainers']);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata.namespace ?? 'default',
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      finalizers: [...(tpl.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER],
      ownerReferences: [controllerRef(job, 'batch/v1', 'Job')],
    },
    spec,
  };
}

// Containers learn their index from JOB_COMPLETION_INDEX, read from the pod's annotation.
function withIndexEnv(containers: unknown): unknown {
  if (!Array.isArray(containers)) return containers;
  return containers.map((c: Record<string, unknown>) => {
    const env = Array.isArray(c['env']) ? [...(c['env'] as { name: string }[])] : [];
    if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return c;
    env.push({ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } } as { name: string });
    return { ...c, env };
  });
}

export function indexOf(p: Pod): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX] ?? p.metadata.labels?.[COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}
