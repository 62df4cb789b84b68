// Recreate: scale every old ReplicaSet to zero, wait until none of their pods
// is left running, then create the new ReplicaSet at full size.

import { isPodActive } from '../common/pod-state.ts';
import type { Deployment, ReplicaSet } from '../common/types.ts';
import { controllerOf } from '../common/controller-ref.ts';
import type { DeploymentSyncDeps, SyncResult } from './context.ts';
import { cleanupDeployment } from './history.ts';
import { syncRolloutStatus } from './progress.ts';
import { getAllReplicaSetsAndSyncRevision, scaleReplicaSet } from './replica-sets.ts';
import { activeReplicaSets, deploymentComplete, deploymentReplicas, specReplicas } from './replicas.ts';

export async function rolloutRecreate(deps: DeploymentSyncDeps, d: Deployment, rss: readonly ReplicaSet[]): Promise<SyncResult> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rss, false);
  const all = (): ReplicaSet[] => (newRS ? [...oldRSs, newRS] : [...oldRSs]);

  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    const stored = await scaleReplicaSet(deps, d, rs, 0);
    oldRSs = oldRSs.map((x) => (x.metadata.uid === stored.metadata.uid ? stored : x));
    scaledDown = true;
  }
  if (scaledDown || oldPodsRunning(deps, oldRSs)) return syncRolloutStatus(deps, d, all(), newRS);

  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rss, true));
  if (newRS && specReplicas(newRS) !== deploymentReplicas(d)) {
    newRS = await scaleReplicaSet(deps, d, newRS, deploymentReplicas(d));
    return syncRolloutStatus(deps, d, all(), newRS);
  }
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(deps, d, oldRSs);
  return syncRolloutStatus(deps, d, all(), newRS);
}

/** Any old set still reports pods, or the cache still holds a live (or terminating) pod of one. */
function oldPodsRunning(deps: DeploymentSyncDeps, oldRSs: readonly ReplicaSet[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const uids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  const ns = oldRSs[0]?.metadata.namespace;
  if (uids.size === 0) return false;
  return deps.podLister.list(ns).some((p) => {
    const owner = controllerOf(p)?.uid;
    if (!owner || !uids.has(owner)) return false;
    const phase = p.status?.phase;
    return isPodActive(p) || (phase !== 'Succeeded' && phase !== 'Failed');
  });
}
