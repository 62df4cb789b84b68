// The reconcile of one ReplicaSet (or ReplicationController) key: claim pods,
// create or delete towards spec.replicas, then write status.

import type { Client, Lister } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import { resourceForKind } from '../../api/scheme.ts';
import { claimObjects, controllerRef, recheckOwner } from '../common/controller-ref.ts';
import type { ControllerExpectations } from '../common/expectations.ts';
import { keyOf, splitKey } from '../common/keys.ts';
import type { PodControl } from '../common/pod-control.ts';
import { rankPodsForDeletion } from '../common/pod-ranking.ts';
import { isPodActive, isPodReady, nextAvailableInMs } from '../common/pod-state.ts';
import { slowStartBatch } from '../common/slow-start.ts';
import type { Pod, ReplicaSet } from '../common/types.ts';
import type { ReplicaSetKind } from './kind.ts';
import { calculateReplicaSetStatus, updateReplicaSetStatus } from './status.ts';

const podsResource = resourceForKind('', 'Pod')!;

/** At most this many creates or deletes per sync, as kube-controller-manager's burstReplicas. */
export const defaultBurstReplicas = 500;

export type ReplicaSetSyncDeps = {
  kind: ReplicaSetKind;
  client: Client;
  rsLister: Lister<ReplicaSet>;
  podLister: Lister<Pod>;
  expectations: ControllerExpectations;
  podControl: PodControl;
  clock: Clock;
  burstReplicas?: number;
  /**
   * Per key, the batch the next slow start begins with: 1 at first and after
   * any failure; larger once creates have all succeeded (a template the API
   * server accepts once is accepted again), which saves round trips at scale.
   */
  warmStart?: Map<string, number>;
};

/** The first batch of a slow start for a set whose last creates all worked. */
export const warmBatchSize = 32;

export type SyncResult = { requeueAfterMs?: number };

export async function syncReplicaSet(d: ReplicaSetSyncDeps, key: string): Promise<SyncResult> {
  const { namespace, name } = splitKey(key);
  const rs = d.rsLister.get(namespace, name);
  if (!rs) {
    d.expectations.delete(key);
    d.warmStart?.delete(key);
    return {};
  }
  const needsSync = d.expectations.satisfied(key);
  const selector = d.kind.selectorOf(rs);
  // Terminating pods no longer count; a pod being deleted is neither adopted nor released.
  const candidates = d.podLister.list(namespace).filter(isPodActive);
  const pods = await claimObjects(candidates, {
    client: d.client,
    resource: podsResource,
    owner: rs,
    ownerApiVersion: d.kind.apiVersion,
    ownerKind: d.kind.kind,
    selector,
    canAdopt: recheckOwner(d.client, d.kind.resource, rs),
  });

  let manageError: unknown;
  if (needsSync && !rs.metadata.deletionTimestamp) {
    try {
      await manageReplicas(d, key, rs, pods, candidates);
    } catch (e) {
      manageError = e;
    }
  }
  const now = d.clock.now();
  const status = calculateReplicaSetStatus(rs, pods, manageError, now);
  const stored = await updateReplicaSetStatus(d.client, d.kind, rs, status);
  if (manageError !== undefined) throw manageError;

  // Come back when a ready pod has been ready for minReadySeconds.
  const minReady = stored.spec?.minReadySeconds ?? 0;
  const wait = nextAvailableInMs(pods.filter(isPodReady), minReady, now);
  return wait === undefined ? {} : { requeueAfterMs: wait };
}

async function manageReplicas(d: ReplicaSetSyncDeps, key: string, rs: ReplicaSet, pods: Pod[], related: Pod[]): Promise<void> {
  const burst = d.burstReplicas ?? defaultBurstReplicas;
  const diff = pods.length - (rs.spec?.replicas ?? 1);
  if (diff < 0) {
    const n = Math.min(-diff, burst);
    const template = rs.spec?.template ?? {};
    const ref = controllerRef(rs, d.kind.apiVersion, d.kind.kind);
    d.expectations.expectCreations(key, n);
    const result = await slowStartBatch(n, d.warmStart?.get(key) ?? 1, async () => {
      await d.podControl.createPod(rs, template, ref);
    });
    if (result.errors.length > 0) d.warmStart?.delete(key);
    else d.warmStart?.set(key, warmBatchSize);
    // Creates that failed or never started will never be observed.
    for (let i = result.succeeded; i < n; i++) d.expectations.creationObserved(key);
    if (result.errors.length > 0) throw result.errors[0];
    return;
  }
  if (diff > 0) {
    const n = Math.min(diff, burst);
    // Rank against every active pod of the same selector so what stays is spread over nodes.
    const selector = d.kind.selectorOf(rs);
    const victims = rankPodsForDeletion(pods, related.filter((p) => selector.matches(p.metadata.labels))).slice(0, n);
    d.expectations.expectDeletions(key, victims.map(keyOf));
    const results = await Promise.allSettled(
      victims.map(async (p) => {
        try {
          // Already gone: its delete event may have passed before we expected it.
          if (!(await d.podControl.deletePod(rs, p.metadata.namespace ?? '', p.metadata.name ?? ''))) d.expectations.deletionObserved(key, keyOf(p));
        } catch (e) {
          d.expectations.deletionObserved(key, keyOf(p));
          throw e;
        }
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
