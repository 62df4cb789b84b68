// Deployment status: counts summed over its ReplicaSets, and the Progressing
// and Available conditions that `kubectl rollout status` reads.

import { rfc3339 } from '../../machinery/clock.ts';
import { getCondition, removeCondition, setCondition } from '../common/conditions.ts';
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '../common/types.ts';
import { canonicalJson } from './hash.ts';
import { deploymentsResource, type DeploymentSyncDeps, type SyncResult } from './context.ts';
import { deploymentComplete, deploymentReplicas, maxUnavailable, sumStatus } from './replicas.ts';

/** progressDeadlineSeconds of MaxInt32 means "no deadline", as in Kubernetes. */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}

export function progressingCondition(nowMs: number, status: Condition['status'], reason: string, message: string): Condition {
  const t = rfc3339(nowMs);
  return { type: 'Progressing', status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** Writes the Deployment's status through the status subresource; `d` takes the stored object's metadata and status. */
export async function writeStatus(deps: DeploymentSyncDeps, d: Deployment, status: DeploymentStatus): Promise<void> {
  // With resourceVersion: a sync working from a stale cache must not overwrite a newer status.
  const stored = await deps.client.update<Deployment>(deploymentsResource, d.metadata.namespace, { ...d, status }, { subresource: 'status' });
  d.metadata = stored.metadata;
  if (stored.status) d.status = stored.status;
  else delete d.status;
}

export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, nowMs: number): DeploymentStatus {
  const available = sumStatus(allRSs, 'availableReplicas');
  const total = sumStatus(allRSs, 'replicas');
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation ?? 0,
    replicas: total,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sumStatus(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  const t = rfc3339(nowMs);
  const availableCond: Condition =
    available >= deploymentReplicas(d) - maxUnavailable(d)
      ? { type: 'Available', status: 'True', lastUpdateTime: t, lastTransitionTime: t, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', lastUpdateTime: t, lastTransitionTime: t, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
  status.conditions = setDeploymentCondition(d.status?.conditions, availableCond);
  return status;
}

/** As SetDeploymentCondition: same status and reason keeps the old condition; same status keeps the transition time. */
export function setDeploymentCondition(conds: readonly Condition[] | undefined, c: Condition): Condition[] {
  const old = getCondition(conds, c.type);
  if (old && old.status === c.status && old.reason === c.reason) return [...(conds ?? [])];
  return setCondition(conds, c);
}

function progressing(old: DeploymentStatus | undefined, s: DeploymentStatus): boolean {
  const o = old ?? {};
  return (
    (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    (s.replicas ?? 0) < (o.replicas ?? 0) ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

function timedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s.conditions, 'Progressing');
  if (!c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  return !Number.isNaN(from) && from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

function sameStatus(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b);
}

/** Status only (scaling, paused): counts and Available, no progress judgement. */
export async function syncDeploymentStatus(deps: DeploymentSyncDeps, d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<void> {
  const status = calculateStatus(d, allRSs, newRS, deps.clock.now());
  if (!sameStatus(d.status, status)) await writeStatus(deps, d, status);
}

/**
 * Status of a rollout: counts, Available, and Progressing — complete,
 * progressing (which restarts the deadline) or timed out; ReplicaFailure
 * mirrors the ReplicaSets'. Asks to be requeued when the deadline would pass.
 */
export async function syncRolloutStatus(deps: DeploymentSyncDeps, d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<SyncResult> {
  const now = deps.clock.now();
  const status = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) status.conditions = removeCondition(status.conditions, 'Progressing');
  const current = getCondition(status.conditions, 'Progressing');
  const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (hasProgressDeadline(d) && !alreadyComplete) {
    const name = newRS?.metadata.name ?? '';
    if (deploymentComplete(d, status)) {
      status.conditions = setDeploymentCondition(status.conditions, progressingCondition(now, 'True', 'NewReplicaSetAvailable', `ReplicaSet "${name}" has successfully progressed.`));
    } else if (progressing(d.status, status)) {
      // Progress moves lastUpdateTime (and so the deadline), never lastTransitionTime of a True condition.
      const c = progressingCondition(now, 'True', 'ReplicaSetUpdated', `ReplicaSet "${name}" is progressing.`);
      if (current?.status === 'True' && current.lastTransitionTime) c.lastTransitionTime = current.lastTransitionTime;
      status.conditions = [...removeCondition(status.conditions, 'Progressing'), c];
    } else if (timedOut(d, status, now)) {
      status.conditions = setDeploymentCondition(status.conditions, progressingCondition(now, 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}" has timed out progressing.`));
    }
  }
  const failure = allRSs.map((rs) => getCondition(rs.status?.conditions, 'ReplicaFailure')).find((c) => c?.status === 'True');
  status.conditions = failure
    ? setDeploymentCondition(status.conditions, { ...failure, type: 'ReplicaFailure', lastUpdateTime: failure.lastTransitionTime ?? rfc3339(now) })
    : removeCondition(status.conditions, 'ReplicaFailure');
  if (!sameStatus(d.status, status)) {
    await writeStatus(deps, d, status);
    return {};
  }
  return requeueStuck(d, status, now);
}

/** A rollout still within its deadline is looked at again when the deadline passes. */
function requeueStuck(d: Deployment, s: DeploymentStatus, nowMs: number): SyncResult {
  const c = getCondition(s.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !c || c.status !== 'True' || c.reason === 'NewReplicaSetAvailable' || deploymentComplete(d, s)) return {};
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return {};
  const after = from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  return { requeueAfterMs: Math.max(1000, after + 1000) };
}

/** Paused and resumed Deployments say so in Progressing (Unknown), unless the deadline already passed. */
export async function checkPausedConditions(deps: DeploymentSyncDeps, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const c = getCondition(d.status?.conditions, 'Progressing');
  if (c?.reason === 'ProgressDeadlineExceeded') return;
  const pausedShown = c?.reason === 'DeploymentPaused';
  const now = deps.clock.now();
  let next: Condition | undefined;
  if (d.spec?.paused && !pausedShown) next = progressingCondition(now, 'Unknown', 'DeploymentPaused', 'Deployment is paused');
  else if (!d.spec?.paused && pausedShown) next = progressingCondition(now, 'Unknown', 'DeploymentResumed', 'Deployment is resumed');
  if (next) await writeStatus(deps, d, { ...d.status, conditions: setDeploymentCondition(d.status?.conditions, next) });
}
