// The reconcile of one Deployment key: claim its ReplicaSets, then either
// scale (paused, or replicas changed mid-rollout) or roll out by strategy.

import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { splitKey } from '../common/keys.ts';
import type { Deployment } from '../common/types.ts';
import type { DeploymentSyncDeps, SyncResult } from './context.ts';
import { canonicalJson } from './hash.ts';
import { calculateStatus, checkPausedConditions, writeStatus } from './progress.ts';
import { getAllReplicaSetsAndSyncRevision, getReplicaSetsForDeployment } from './replica-sets.ts';
import { rolloutRecreate } from './recreate.ts';
import { rolloutRolling } from './rolling.ts';
import { isScalingEvent, syncScaleOnly } from './scale.ts';

export async function syncDeployment(deps: DeploymentSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const cached = deps.deploymentLister.get(namespace, name);
  if (!cached) return {};
  const d = structuredClone(cached);

  if (selectorFromLabelSelector(d.spec?.selector).empty) {
    deps.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) await writeStatus(deps, d, { ...d.status, observedGeneration: d.metadata.generation ?? 0 });
    return {};
  }

  const rss = await getReplicaSetsForDeployment(deps, d);
  if (d.metadata.deletionTimestamp) {
    // Being deleted: report, change nothing.
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(deps, d, rss, false);
    const status = calculateStatus(d, newRS ? [...oldRSs, newRS] : oldRSs, newRS, deps.clock.now());
    if (canonicalJson(status) !== canonicalJson(d.status ?? {})) await writeStatus(deps, d, status);
    return {};
  }

  await checkPausedConditions(deps, d);
  if (d.spec?.paused || isScalingEvent(d, rss)) {
    await syncScaleOnly(deps, d, rss);
    return {};
  }
  return d.spec?.strategy?.type === 'Recreate' ? rolloutRecreate(deps, d, rss) : rolloutRolling(deps, d, rss);
}
