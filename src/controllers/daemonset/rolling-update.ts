// RollingUpdate of a DaemonSet: without surge, delete old pods while at most
// maxUnavailable nodes lack an available pod (the next sync creates the new
// ones); with surge, start the new pod beside the old and delete the old once
// the new one is available.

import { scaledValueFromIntOrPercent } from '../../machinery/intstr.ts';
import type { Pod } from '../common/types.ts';
import { REVISION_HASH_LABEL } from '../history/revisions.ts';
import { isAvailable } from '../statefulset/pod-state.ts';
import type { NodePlan } from './sync.ts';
import type { DaemonSet } from './types.ts';

export function planRollingUpdate(ds: DaemonSet, plans: readonly NodePlan[], hash: string, now: number): { create: string[]; remove: Pod[] } {
  const wanted = plans.filter((p) => p.shouldRun || (p.shouldContinueRunning && p.pods.length > 0));
  const desired = plans.filter((p) => p.shouldRun).length;
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  const maxSurge = scaledValueFromIntOrPercent(ru?.maxSurge ?? 0, desired, true);
  let maxUnavailable = scaledValueFromIntOrPercent(ru?.maxUnavailable ?? 1, desired, true);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod): boolean => isAvailable(p, minReady, now);
  const create: string[] = [];
  const remove: Pod[] = [];

  if (maxSurge === 0) {
    let unavailable = wanted.filter((p) => !p.pods.some(available)).length;
    for (const plan of wanted) {
      const old = plan.pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== hash);
      if (!old.length || plan.pods.length !== old.length) continue;
      if (!old.some(available)) remove.push(...old);
      else if (unavailable < maxUnavailable) {
        remove.push(...old);
        unavailable++;
      }
    }
    return { create, remove };
  }

  let surging = wanted.filter((p) => p.pods.some((x) => x.metadata.labels?.[REVISION_HASH_LABEL] === hash) && p.pods.some((x) => x.metadata.labels?.[REVISION_HASH_LABEL] !== hash)).length;
  for (const plan of wanted) {
    const fresh = plan.pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash);
    const old = plan.pods.filter((p) => !fresh.includes(p));
    if (!old.length) continue;
    if (fresh.length) {
      if (fresh.some(available)) remove.push(...old);
    } else if (!old.some(available)) remove.push(...old);
    else if (surging < maxSurge && plan.shouldRun) {
      create.push(plan.node);
      surging++;
    }
  }
  return { create, remove };
}
