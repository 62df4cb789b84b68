// RollingUpdate: grow the new ReplicaSet within maxSurge, shrink the old ones
// within maxUnavailable, one step per sync; the ReplicaSet and pod events
// that follow bring the next sync.

import type { Deployment, ReplicaSet } from '../common/types.ts';
import type { DeploymentSyncDeps, SyncResult } from './context.ts';
import { cleanupDeployment } from './history.ts';
import { syncRolloutStatus } from './progress.ts';
import { getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './replica-sets.ts';
import { activeReplicaSets, byCreation, deploymentComplete, deploymentReplicas, maxUnavailable, newReplicaSetReplicas, specReplicas, sumSpecReplicas } from './replicas.ts';

export async function rolloutRolling(deps: DeploymentSyncDeps, d: Deployment, rss: readonly ReplicaSet[]): Promise<SyncResult> {
  const sets = await getAllReplicaSetsAndSyncRevision(deps, d, rss, true);
  let newRS = sets.newRS;
  const oldRSs = sets.oldRSs;
  const all = (): ReplicaSet[] => (newRS ? [...oldRSs, newRS] : [...oldRSs]);

  const grown = await reconcileNewReplicaSet(deps, d, all(), newRS);
  if (grown !== newRS) {
    newRS = grown;
    return syncRolloutStatus(deps, d, all(), newRS);
  }
  if (await reconcileOldReplicaSets(deps, d, oldRSs, newRS)) return syncRolloutStatus(deps, d, all(), newRS);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(deps, d, oldRSs);
  return syncRolloutStatus(deps, d, all(), newRS);
}

/** Scales the new set towards replicas within the surge budget; returns it as stored (the same object when untouched). */
async function reconcileNewReplicaSet(deps: DeploymentSyncDeps, d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Promise<ReplicaSet | undefined> {
  if (!newRS) return newRS;
  const want = deploymentReplicas(d);
  const have = specReplicas(newRS);
  if (have === want) return newRS;
  const next = have > want ? want : newReplicaSetReplicas(d, all, newRS);
  return next === have ? newRS : scaleReplicaSet(deps, d, newRS, next);
}

/**
 * Shrinks old sets without going below replicas - maxUnavailable available
 * pods: first the old sets' unavailable pods, then available ones, oldest set
 * first. `oldRSs` is updated in place. True when anything was scaled.
 */
async function reconcileOldReplicaSets(deps: DeploymentSyncDeps, d: Deployment, oldRSs: ReplicaSet[], newRS: ReplicaSet | undefined): Promise<boolean> {
  const oldPods = sumSpecReplicas(oldRSs);
  if (oldPods === 0) return false;
  const allPods = oldPods + specReplicas(newRS);
  const minAvailable = deploymentReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS?.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const replace = (rs: ReplicaSet): void => {
    const i = oldRSs.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) oldRSs[i] = rs;
  };

  // Unhealthy replicas of old sets cost no availability: remove them first.
  let cleaned = 0;
  for (const rs of activeReplicaSets(oldRSs).sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const unavailable = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (unavailable <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unavailable);
    replace(await scaleReplicaSet(deps, d, rs, specReplicas(rs) - n));
    cleaned += n;
  }

  // Then available ones, as far as the availability floor allows. A set just
  // scaled down may still report its old count: never count more than its spec.
  const available = [...oldRSs, ...(newRS ? [newRS] : [])].reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs)), 0);
  let scaled = 0;
  const budget = Math.min(available - minAvailable, maxScaledDown - cleaned);
  if (budget > 0) {
    for (const rs of activeReplicaSets(oldRSs).sort(byCreation)) {
      if (scaled >= budget) break;
      const n = Math.min(specReplicas(rs), budget - scaled);
      replace(await scaleReplicaSet(deps, d, rs, specReplicas(rs) - n));
      scaled += n;
    }
  }
  return cleaned + scaled > 0;
}
