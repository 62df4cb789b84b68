// Scaling without a rollout: a paused Deployment, or a replicas change while
// several ReplicaSets are active — then the change is shared out in
// proportion to each set's size (proportional scaling).

import type { Deployment, ReplicaSet } from '../common/types.ts';
import { desiredReplicasOf, maxReplicasOf } from './annotations.ts';
import type { DeploymentSyncDeps } from './context.ts';
import { cleanupDeployment } from './history.ts';
import { syncDeploymentStatus } from './progress.ts';
import { getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './replica-sets.ts';
import { activeReplicaSets, byCreation, deploymentReplicas, isRollingUpdate, maxSurge, specReplicas, sumSpecReplicas } from './replicas.ts';

/** True when an active ReplicaSet was sized for a different spec.replicas than the Deployment's now. */
export function isScalingEvent(d: Deployment, allRSs: readonly ReplicaSet[]): boolean {
  const want = deploymentReplicas(d);
  return activeReplicaSets(allRSs).some((rs) => {
    const desired = desiredReplicasOf(rs);
    return desired !== undefined && desired !== want;
  });
}

/** Reconciles sizes only (paused or scaling), then status; a paused Deployment also trims its history. */
export async function syncScaleOnly(deps: DeploymentSyncDeps, d: Deployment, rss: readonly ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rss, false);
  const sets = await scale(deps, d, newRS, oldRSs);
  const olds = sets.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  const fresh = sets.find((rs) => rs.metadata.uid === newRS?.metadata.uid);
  if (d.spec?.paused) await cleanupDeployment(deps, d, olds);
  await syncDeploymentStatus(deps, d, sets, fresh);
}

/** Returns every ReplicaSet as stored after scaling (new one included when present). */
export async function scale(deps: DeploymentSyncDeps, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): Promise<ReplicaSet[]> {
  const all = newRS ? [newRS, ...oldRSs] : [...oldRSs];
  const replace = (rs: ReplicaSet): void => {
    const i = all.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) all[i] = rs;
  };
  const want = deploymentReplicas(d);
  // One active set (or none): it simply takes the new size.
  const active = activeReplicaSets(all);
  const single = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? [...oldRSs].sort(byCreation).at(-1)) : undefined;
  if (single) {
    if (specReplicas(single) !== want) replace(await scaleReplicaSet(deps, d, single, want));
    return all;
  }
  // The new set is saturated: the old ones can go.
  if (newRS && specReplicas(newRS) === want && desiredReplicasOf(newRS) === want && (newRS.status?.availableReplicas ?? 0) === want) {
    for (const rs of activeReplicaSets(oldRSs)) replace(await scaleReplicaSet(deps, d, rs, 0));
    return all;
  }
  if (!isRollingUpdate(d)) return all;
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(active);
  if (toAdd === 0) {
    for (const rs of active) replace(await scaleReplicaSet(deps, d, rs, specReplicas(rs)));
    return all;
  }
  // Growing: the biggest (then newest) first; shrinking: the biggest (then oldest) first.
  const ordered = [...active].sort((a, b) => specReplicas(b) - specReplicas(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    const p = proportion(d, rs, toAdd, added);
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  // Rounding leftovers go to the first (largest) set.
  const first = ordered[0]!;
  sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added));
  for (const rs of ordered) replace(await scaleReplicaSet(deps, d, rs, sizes.get(rs)!));
  return all;
}

/** This set's share of `toAdd`, bounded by what is still left to add. */
function proportion(d: Deployment, rs: ReplicaSet, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  const fraction = replicaSetFraction(d, rs);
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(d: Deployment, rs: ReplicaSet): number {
  const want = deploymentReplicas(d);
  if (want === 0) return -specReplicas(rs);
  const total = want + maxSurge(d);
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return Math.round((specReplicas(rs) * total) / annotated) - specReplicas(rs);
}
