// The reconcile of one StatefulSet: revisions, then pods by ordinal (create,
// replace failed ones, scale down from the highest), then the rolling update,
// then status. OrderedReady waits for each pod to be Running and Ready.

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { isAlreadyExists, isNotFound } from '../../machinery/status.ts';
import { claimObjects, recheckOwner } from '../common/controller-ref.ts';
import { splitKey } from '../common/keys.ts';
import type { Pod } from '../common/types.ts';
import { ensureRevision, sortByRevision, templateOf, truncateHistory, type ControllerRevision } from '../history/revisions.ts';
import { claimName, claimsFor, newStatefulPod, ordinalOf, revisionOf } from './identity.ts';
import { isAvailable, isDeleting, isReady, isRunning, isTerminal } from './pod-state.ts';
import { rollingUpdate } from './rolling-update.ts';
import type { PersistentVolumeClaim, StatefulSet, StatefulSetStatus } from './types.ts';

const sets = resourceForKind('apps', 'StatefulSet')!;
const pods = resourceForKind('', 'Pod')!;
const claims = resourceForKind('', 'PersistentVolumeClaim')!;

export type StatefulSetSyncDeps = {
  client: Client;
  clock: Clock;
  sets: Lister<StatefulSet>;
  pods: Lister<Pod>;
  revisions: Lister<ControllerRevision>;
  claims: Lister<PersistentVolumeClaim>;
  recorder: EventRecorder;
  requeueAfter(key: string, ms: number): void;
};

export type SetState = {
  d: StatefulSetSyncDeps;
  set: StatefulSet;
  key: string;
  /** Pods by ordinal inside [start, start + replicas). */
  replicas: Map<number, Pod>;
  /** Pods whose ordinal is outside the range, highest ordinal first. */
  condemned: Pod[];
  current: ControllerRevision;
  update: ControllerRevision;
  monotonic: boolean;
};

export const healthy = (p: Pod): boolean => isRunning(p) && isReady(p) && !isDeleting(p);

export async function syncStatefulSet(d: StatefulSetSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = d.sets.get(namespace, name);
  if (!cached || cached.metadata.deletionTimestamp) return;
  const set = structuredClone(cached);
  const selector = selectorFromLabelSelector(set.spec?.selector);
  const owned = await claimObjects(
    d.pods.list(namespace).filter((p) => selector.matches(p.metadata.labels) || p.metadata.ownerReferences?.some((r) => r.uid === set.metadata.uid)),
    { client: d.client, resource: pods, owner: set, ownerApiVersion: 'apps/v1', ownerKind: 'StatefulSet', selector, canAdopt: recheckOwner(d.client, sets, set) },
  );
  const revs = d.revisions.list(namespace).filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === set.metadata.uid));
  const owner = { obj: set, apiVersion: 'apps/v1', kind: 'StatefulSet', template: set.spec?.template, labels: set.spec?.template?.metadata?.labels ?? {} };
  const { revision: update, collisionCount } = await ensureRevision(d.client, owner, revs, set.status?.collisionCount ?? 0);
  const allRevs = sortByRevision([...revs.filter((r) => r.metadata.name !== update.metadata.name), update]);
  const current = allRevs.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;

  const start = set.spec?.ordinals?.start ?? 0;
  const count = set.spec?.replicas ?? 1;
  const replicas = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const p of owned) {
    const ord = ordinalOf(set, p);
    if (ord === undefined) continue;
    if (ord >= start && ord < start + count) replicas.set(ord, p);
    else condemned.push(p);
  }
  condemned.sort((a, b) => (ordinalOf(set, b) ?? 0) - (ordinalOf(set, a) ?? 0));
  const st: SetState = { d, set, key, replicas, condemned, current, update, monotonic: set.spec?.podManagementPolicy !== 'Parallel' };

  const settled = await reconcileReplicas(st, start, count);
  if (settled) await rollingUpdate(st, start, count);
  await scaledClaims(st, start, count);
  await writeStatus(st, collisionCount);
  const live = new Set([current.metadata.name ?? '', update.metadata.name ?? '', ...owned.map((p) => `${set.metadata.name}-${revisionOf(p)}`)]);
  await truncateHistory(d.client, allRevs, live, set.spec?.revisionHistoryLimit ?? 10);
}

/** Creates, replaces and condemns pods; returns true when every pod is in place and healthy. */
async function reconcileReplicas(st: SetState, start: number, count: number): Promise<boolean> {
  let settled = true;
  for (let ord = start; ord < start + count; ord++) {
    const p = st.replicas.get(ord);
    if (p && isTerminal(p) && !isDeleting(p)) {
      // A failed (or exited) pod is replaced under the same name.
      await deletePod(st, p);
      settled = false;
      if (st.monotonic) return false;
      continue;
    }
    if (!p) {
      await createPod(st, ord);
      settled = false;
      if (st.monotonic) return false;
      continue;
    }
    if (!healthy(p)) {
      settled = false;
      if (st.monotonic) return false;
    }
  }
  for (const p of st.condemned) {
    if (isDeleting(p)) {
      settled = false;
      if (st.monotonic) return false;
      continue;
    }
    await deletePod(st, p);
    settled = false;
    if (st.monotonic) return false;
  }
  return settled;
}

/** Revision for a new pod: below the partition the current one, else the update one. */
function revisionFor(st: SetState, ordinal: number): ControllerRevision {
  const s = st.set.spec?.updateStrategy;
  if ((s?.type ?? 'RollingUpdate') === 'RollingUpdate' && ordinal < (s?.rollingUpdate?.partition ?? 0)) return st.current;
  return st.update;
}

async function createPod(st: SetState, ordinal: number): Promise<void> {
  const { d, set } = st;
  for (const claim of claimsFor(set, ordinal)) {
    if (d.claims.get(claim.metadata.namespace, claim.metadata.name ?? '')) continue;
    try {
      await d.client.create(claims, claim.metadata.namespace, claim);
      d.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${claim.metadata.name} Pod ${set.metadata.name}-${ordinal} in StatefulSet ${set.metadata.name} success`);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
  const rev = revisionFor(st, ordinal);
  const pod = newStatefulPod(set, templateOf(rev), ordinal, rev.metadata.labels?.['controller-revision-hash'] ?? '');
  try {
    const created = await d.client.create<Pod>(pods, pod.metadata.namespace, pod);
    st.replicas.set(ordinal, created);
    d.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  } catch (e) {
    // The cache had not seen our earlier create yet.
    if (!isAlreadyExists(e)) {
      d.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(e as Error).message}`);
      throw e;
    }
  }
}

export async function deletePod(st: SetState, p: Pod): Promise<void> {
  const { d, set } = st;
  try {
    await d.client.delete(pods, p.metadata.namespace, p.metadata.name ?? '', { preconditions: { uid: p.metadata.uid ?? '' } });
    d.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** whenScaled: Delete removes the claims of ordinals scaled away once their pod is gone. */
async function scaledClaims(st: SetState, start: number, count: number): Promise<void> {
  const { d, set } = st;
  if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
  const templates = set.spec.volumeClaimTemplates ?? [];
  const podStillThere = new Set(st.condemned.map((p) => ordinalOf(set, p)));
  for (const c of d.claims.list(set.metadata.namespace)) {
    for (const t of templates) {
      const prefix = `${t.metadata?.name}-${set.metadata.name}-`;
      const name = c.metadata.name ?? '';
      if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
      const ord = Number(name.slice(prefix.length));
      if (ord >= start && ord < start + count) continue;
      if (podStillThere.has(ord) || claimName(t.metadata?.name ?? '', set, ord) !== name) continue;
      try {
        await d.client.delete(claims, c.metadata.namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

async function writeStatus(st: SetState, collisionCount: number): Promise<void> {
  const { d, set } = st;
  const now = d.clock.now();
  const minReady = set.spec?.minReadySeconds ?? 0;
  const all = [...st.replicas.values(), ...st.condemned].filter((p) => !isDeleting(p));
  const updateHash = st.update.metadata.labels?.['controller-revision-hash'];
  const currentHash = st.current.metadata.labels?.['controller-revision-hash'];
  const status: StatefulSetStatus = {
    ...(set.status ?? {}),
    observedGeneration: set.metadata.generation ?? 0,
    replicas: all.length,
    readyReplicas: all.filter(isReady).length,
    availableReplicas: all.filter((p) => isAvailable(p, minReady, now)).length,
    currentReplicas: all.filter((p) => revisionOf(p) === currentHash).length,
    updatedReplicas: all.filter((p) => revisionOf(p) === updateHash).length,
    currentRevision: st.current.metadata.name ?? '',
    updateRevision: st.update.metadata.name ?? '',
    collisionCount,
  };
  // The update is complete: the update revision becomes the current one.
  if (status.updatedReplicas === (set.spec?.replicas ?? 1) && status.replicas === status.updatedReplicas && status.readyReplicas === status.replicas) {
    status.currentRevision = status.updateRevision ?? '';
    status.currentReplicas = status.updatedReplicas;
  }
  if (minReady > 0 && (status.readyReplicas ?? 0) > (status.availableReplicas ?? 0)) d.requeueAfter(st.key, minReady * 1000);
  if (JSON.stringify(status) === JSON.stringify(set.status ?? {})) return;
  await d.client.update(sets, set.metadata.namespace, { ...set, status }, { subresource: 'status' });
}
