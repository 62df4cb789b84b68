// revisionHistoryLimit: old ReplicaSets scaled to zero are deleted, oldest
// revision first, until only the limit is left.

import { isNotFound } from '../../machinery/status.ts';
import type { Deployment, ReplicaSet } from '../common/types.ts';
import { revisionOf } from './annotations.ts';
import { replicaSetsResource, type DeploymentSyncDeps } from './context.ts';

export async function cleanupDeployment(deps: DeploymentSyncDeps, d: Deployment, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const rs of byRevision.slice(0, diff)) {
    // Only sets that are empty and whose status has caught up with their spec.
    if ((rs.status?.replicas ?? 0) !== 0 || (rs.spec?.replicas ?? 0) !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await deps.client.delete(replicaSetsResource, rs.metadata.namespace, rs.metadata.name ?? '', { preconditions: { uid: rs.metadata.uid ?? '' } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
