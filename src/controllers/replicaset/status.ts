// ReplicaSet status: counted from the pods the set controls, written through
// the status subresource only when something changed.

import type { Client } from '../../client/interfaces.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';
import { removeCondition, setCondition } from '../common/conditions.ts';
import { isPodAvailable, isPodReady } from '../common/pod-state.ts';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../common/types.ts';
import type { ReplicaSetKind } from './kind.ts';

/** Counts of `pods` (the active pods the set controls); a failed create/delete sets ReplicaFailure. */
export function calculateReplicaSetStatus(rs: ReplicaSet, pods: readonly Pod[], manageError: unknown, nowMs: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, nowMs)) available++;
    }
  }
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (rs.metadata.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  let conditions = rs.status?.conditions;
  if (manageError !== undefined && manageError !== null) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : 'FailedDelete';
    conditions = setCondition(conditions, { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: (manageError as Error).message ?? String(manageError) });
  } else {
    conditions = removeCondition(conditions, 'ReplicaFailure');
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

function sameStatus(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const n = (v: number | undefined): number => v ?? 0;
  return (
    !!a &&
    n(a.replicas) === n(b.replicas) &&
    n(a.fullyLabeledReplicas) === n(b.fullyLabeledReplicas) &&
    n(a.readyReplicas) === n(b.readyReplicas) &&
    n(a.availableReplicas) === n(b.availableReplicas) &&
    a.observedGeneration === b.observedGeneration &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

/** Writes `status` unless the set already has it; re-reads and retries once on a conflict. Returns the set as stored. */
export async function updateReplicaSetStatus(client: Client, kind: ReplicaSetKind, rs: ReplicaSet, status: ReplicaSetStatus): Promise<ReplicaSet> {
  let current = rs;
  for (let attempt = 0; ; attempt++) {
    if (sameStatus(current.status, status)) return current;
    try {
      return await client.update<ReplicaSet>(kind.resource, current.metadata.namespace, { ...current, status }, { subresource: 'status' });
    } catch (e) {
      if (isNotFound(e)) return current;
      if (!isConflict(e) || attempt >= 1) throw e;
      current = await client.get<ReplicaSet>(kind.resource, rs.metadata.namespace, rs.metadata.name ?? '');
      // The generation we counted for may be older than the fresh object's.
      if (current.metadata.generation !== rs.metadata.generation) return current;
    }
  }
}
