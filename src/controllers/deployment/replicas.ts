// Replica arithmetic of a rollout: surge and unavailability budgets, sums over
// ReplicaSets, the new ReplicaSet's next size, completeness.

import { scaledValueFromIntOrPercent } from '../../machinery/intstr.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from '../common/types.ts';

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const deploymentReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/** maxSurge rounded up and maxUnavailable rounded down against replicas; both zero means one unavailable. */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  const replicas = deploymentReplicas(d);
  const surge = scaledValueFromIntOrPercent(ru.maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValueFromIntOrPercent(ru.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, replicas);
}

export const sumSpecReplicas = (rss: readonly (ReplicaSet | undefined)[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: readonly (ReplicaSet | undefined)[], f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number =>
  rss.reduce((n, rs) => n + (rs?.status?.[f] ?? 0), 0);

/** The ReplicaSets with a non-zero spec.replicas. */
export const activeReplicaSets = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] => rss.filter((rs): rs is ReplicaSet => specReplicas(rs) > 0);

/** How big the new ReplicaSet may be now: all of replicas for Recreate; within the surge budget for RollingUpdate. */
export function newReplicaSetReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = sumSpecReplicas(allRSs);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  return specReplicas(newRS) + Math.min(maxTotal - current, replicas - specReplicas(newRS));
}

/** Every replica updated, nothing older left, all available, and this generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = deploymentReplicas(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Oldest first, by creation time then name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const t = Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? '');
  if (t) return t;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}
