// The annotations a Deployment keeps on its ReplicaSets: revision numbers
// (read by `kubectl rollout history|undo`) and the replica counts used by
// proportional scaling.

import type { Deployment, ReplicaSet } from '../common/types.ts';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** Deployment annotations that are not copied to its ReplicaSets. */
const notCopied = new Set([lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation, 'deprecated.deployment.rollback.to']);

export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } } | undefined): number {
  const v = Number(obj?.metadata.annotations?.[revisionAnnotation]);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, revisionOf(rs));
  return max;
}

function intAnnotation(rs: ReplicaSet, name: string): number | undefined {
  const raw = rs.metadata.annotations?.[name];
  if (raw === undefined) return undefined;
  const v = Number(raw);
  return Number.isInteger(v) ? v : undefined;
}

export const desiredReplicasOf = (rs: ReplicaSet): number | undefined => intAnnotation(rs, desiredReplicasAnnotation);
export const maxReplicasOf = (rs: ReplicaSet): number | undefined => intAnnotation(rs, maxReplicasAnnotation);

/**
 * Annotations of the new ReplicaSet: the Deployment's own (minus the ones
 * above), and the revision — when it moves, the old number joins revision-history.
 * Returns undefined when nothing changes.
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number): Record<string, string> | undefined {
  const current = rs.metadata.annotations ?? {};
  const next: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!notCopied.has(k)) next[k] = v;
  const old = revisionOf(rs);
  if (old < newRevision) {
    next[revisionAnnotation] = String(newRevision);
    if (old > 0) {
      const history = current[revisionHistoryAnnotation];
      next[revisionHistoryAnnotation] = history ? `${history},${old}` : String(old);
    }
  }
  const changed = Object.keys(next).length !== Object.keys(current).length || Object.entries(next).some(([k, v]) => current[k] !== v);
  return changed ? next : undefined;
}

/** True when desired-replicas or max-replicas on `rs` are not `desired` and `max`. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  return desiredReplicasOf(rs) !== desired || maxReplicasOf(rs) !== max;
}

export function withReplicasAnnotations(annotations: Record<string, string> | undefined, desired: number, max: number): Record<string, string> {
  return { ...annotations, [desiredReplicasAnnotation]: String(desired), [maxReplicasAnnotation]: String(max) };
}
