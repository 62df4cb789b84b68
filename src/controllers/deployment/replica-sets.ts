// The ReplicaSets of a Deployment: claiming them, telling the new one (same
// template) from the old ones, creating the new one, and scaling any of them.

import { isAlreadyExists } from '../../machinery/status.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { claimObjects, controllerRef, isControlledBy, recheckOwner } from '../common/controller-ref.ts';
import { setCondition } from '../common/conditions.ts';
import type { Deployment, ReplicaSet } from '../common/types.ts';
import { maxRevision, newReplicaSetAnnotations, replicasAnnotationsNeedUpdate, revisionAnnotation, withReplicasAnnotations } from './annotations.ts';
import { deploymentsResource, replicaSetsResource, type DeploymentSyncDeps } from './context.ts';
import { computeTemplateHash, podTemplateHashLabel, templatesEqualIgnoringHash } from './hash.ts';
import { hasProgressDeadline, progressingCondition, writeStatus } from './progress.ts';
import { byCreation, deploymentReplicas, maxSurge, newReplicaSetReplicas, specReplicas } from './replicas.ts';

/** Adopts orphan ReplicaSets the selector matches and releases owned ones it no longer matches. */
export async function getReplicaSetsForDeployment(deps: DeploymentSyncDeps, d: Deployment): Promise<ReplicaSet[]> {
  const all = deps.rsLister.list(d.metadata.namespace);
  return claimObjects(all, {
    client: deps.client,
    resource: replicaSetsResource,
    owner: d,
    ownerApiVersion: 'apps/v1',
    ownerKind: 'Deployment',
    selector: selectorFromLabelSelector(d.spec?.selector),
    canAdopt: recheckOwner(deps.client, deploymentsResource, d),
  });
}

/** The oldest ReplicaSet whose template is the Deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => templatesEqualIgnoringHash(rs.spec?.template, d.spec?.template));
}

export function findOldReplicaSets(newRS: ReplicaSet | undefined, rss: readonly ReplicaSet[]): ReplicaSet[] {
  return rss.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
}

export type RolloutSets = { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] };

/**
 * Finds (or, with `create`, makes) the new ReplicaSet and brings its revision
 * to one past the old ones; the Deployment's revision annotation follows it.
 */
export async function getAllReplicaSetsAndSyncRevision(deps: DeploymentSyncDeps, d: Deployment, rss: readonly ReplicaSet[], create: boolean): Promise<RolloutSets> {
  const existing = findNewReplicaSet(d, rss);
  const oldRSs = findOldReplicaSets(existing, rss);
  const newRevision = maxRevision(oldRSs) + 1;
  let newRS: ReplicaSet | undefined;
  if (existing) newRS = await syncExistingNewReplicaSet(deps, d, existing, newRevision);
  else if (create) newRS = await createNewReplicaSet(deps, d, [...oldRSs], newRevision);
  if (newRS) await syncDeploymentRevision(deps, d, newRS);
  return { newRS, oldRSs };
}

async function syncExistingNewReplicaSet(deps: DeploymentSyncDeps, d: Deployment, rs: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
  const annotations = newReplicaSetAnnotations(d, rs, newRevision);
  const minReady = d.spec?.minReadySeconds ?? 0;
  let result = rs;
  if (annotations || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
    // A merge patch: the ReplicaSet controller writes status concurrently, and that is no conflict.
    const patch = { metadata: annotations ? { annotations } : {}, spec: { minReadySeconds: minReady } };
    result = await deps.client.patch<ReplicaSet>(replicaSetsResource, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', patch);
  }
  // A Deployment that found its new ReplicaSet says so (once) in Progressing.
  const conds = d.status?.conditions;
  if (!conds?.some((c) => c.type === 'Progressing') && hasProgressDeadline(d)) {
    const c = progressingCondition(deps.clock.now(), 'True', 'FoundNewReplicaSet', `Found new replica set "${result.metadata.name}"`);
    await writeStatus(deps, d, { ...d.status, conditions: setCondition(conds, c) });
  }
  return result;
}

async function createNewReplicaSet(deps: DeploymentSyncDeps, d: Deployment, oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet | undefined> {
  const template = structuredClone(d.spec?.template ?? {});
  const hash = computeTemplateHash(template, d.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const draft: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: d.metadata.namespace ?? 'default', labels: template.metadata.labels ?? {}, ownerReferences: [controllerRef(d, 'apps/v1', 'Deployment')] },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newReplicaSetReplicas(d, oldRSs, draft);
  draft.spec!.replicas = replicas;
  draft.metadata.annotations = withReplicasAnnotations(newReplicaSetAnnotations(d, draft, newRevision) ?? {}, deploymentReplicas(d), deploymentReplicas(d) + maxSurge(d));
  let created: ReplicaSet;
  try {
    created = await deps.client.create<ReplicaSet>(replicaSetsResource, d.metadata.namespace, draft);
  } catch (e) {
    if (!isAlreadyExists(e)) {
      deps.recorder.event(d, 'Warning', 'FailedCreate', `Failed to create new replica set "${name}": ${(e as Error).message}`);
      throw e;
    }
    // Ours from an earlier sync whose create the cache has not shown yet, or a hash collision.
    const found = await deps.client.get<ReplicaSet>(replicaSetsResource, d.metadata.namespace, name);
    if (isControlledBy(found, d) && templatesEqualIgnoringHash(found.spec?.template, d.spec?.template)) return found;
    const collisionCount = (d.status?.collisionCount ?? 0) + 1;
    await writeStatus(deps, d, { ...d.status, collisionCount });
    throw new Error(`hash collision for new replica set "${name}": collisionCount is now ${collisionCount}`);
  }
  if (replicas > 0) deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${replicas}`);
  const c = progressingCondition(deps.clock.now(), 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`);
  await writeStatus(deps, d, { ...d.status, conditions: setCondition(d.status?.conditions, c) });
  return created;
}

/** Copies the new ReplicaSet's revision to the Deployment's annotation (read by kubectl). */
async function syncDeploymentRevision(deps: DeploymentSyncDeps, d: Deployment, newRS: ReplicaSet): Promise<void> {
  const rev = newRS.metadata.annotations?.[revisionAnnotation];
  if (!rev || d.metadata.annotations?.[revisionAnnotation] === rev) return;
  const patched = await deps.client.patch<Deployment>(deploymentsResource, d.metadata.namespace, d.metadata.name ?? '', 'merge', {
    metadata: { annotations: { [revisionAnnotation]: rev } },
  });
  d.metadata = patched.metadata;
}

/**
 * Sets a ReplicaSet's size (and the desired/max replica annotations); records
 * ScalingReplicaSet when the size moves. Returns the stored set.
 */
export async function scaleReplicaSet(deps: DeploymentSyncDeps, d: Deployment, rs: ReplicaSet, size: number): Promise<ReplicaSet> {
  const from = specReplicas(rs);
  const desired = deploymentReplicas(d);
  const max = desired + maxSurge(d);
  if (from === size && !replicasAnnotationsNeedUpdate(rs, desired, max)) return rs;
  const patch = { metadata: { annotations: withReplicasAnnotations({}, desired, max) }, spec: { replicas: size } };
  const stored = await deps.client.patch<ReplicaSet>(replicaSetsResource, rs.metadata.namespace, rs.metadata.name ?? '', 'merge', patch);
  if (from !== size) {
    const dir = size > from ? 'up' : 'down';
    deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${rs.metadata.name} from ${from} to ${size}`);
  }
  return stored;
}
