// The reconcile of one DaemonSet: a pod on every eligible node and none
// elsewhere, the rolling update, and the status counts.

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import { selectorFromLabelSelector } from '../../machinery/labels.ts';
import { isNotFound } from '../../machinery/status.ts';
import { claimObjects, controllerRef, recheckOwner } from '../common/controller-ref.ts';
import type { ControllerExpectations } from '../common/expectations.ts';
import { splitKey } from '../common/keys.ts';
import type { Pod } from '../common/types.ts';
import { REVISION_HASH_LABEL, ensureRevision, sortByRevision, truncateHistory, type ControllerRevision } from '../history/revisions.ts';
import { creationTime, isAvailable, isDeleting, isReady } from '../statefulset/pod-state.ts';
import { pinToNode, placementOn, targetNodeOf, withDaemonTolerations } from './eligibility.ts';
import { planRollingUpdate } from './rolling-update.ts';
import type { DaemonSet, DaemonSetStatus, Node, Toleration } from './types.ts';

const daemonsets = resourceForKind('apps', 'DaemonSet')!;
const pods = resourceForKind('', 'Pod')!;

export type DaemonSetSyncDeps = {
  client: Client;
  clock: Clock;
  daemonsets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  revisions: Lister<ControllerRevision>;
  expectations: ControllerExpectations;
  recorder: EventRecorder;
  requeueAfter(key: string, ms: number): void;
};

/** Creations are expected under the key, deletions under this one (an entry holds one kind). */
export const deletionsKey = (key: string): string => `delete:${key}`;

export type NodePlan = { node: string; shouldRun: boolean; shouldContinueRunning: boolean; pods: Pod[] };

export async function syncDaemonSet(d: DaemonSetSyncDeps, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const cached = d.daemonsets.get(namespace, name);
  if (!cached) {
    d.expectations.delete(key);
    d.expectations.delete(deletionsKey(key));
    return;
  }
  if (cached.metadata.deletionTimestamp) return;
  const ds = structuredClone(cached);
  const selector = selectorFromLabelSelector(ds.spec?.selector);
  const owned = await claimObjects(
    d.pods.list(namespace).filter((p) => selector.matches(p.metadata.labels) || p.metadata.ownerReferences?.some((r) => r.uid === ds.metadata.uid)),
    { client: d.client, resource: pods, owner: ds, ownerApiVersion: 'apps/v1', ownerKind: 'DaemonSet', selector, canAdopt: recheckOwner(d.client, daemonsets, ds) },
  );
  const revs = d.revisions.list(namespace).filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === ds.metadata.uid));
  const owner = { obj: ds, apiVersion: 'apps/v1', kind: 'DaemonSet', template: ds.spec?.template, labels: ds.spec?.template?.metadata?.labels ?? {} };
  const { revision, collisionCount } = await ensureRevision(d.client, owner, revs, ds.status?.collisionCount ?? 0);
  const hash = revision.metadata.labels?.[REVISION_HASH_LABEL] ?? '';

  const plans = planNodes(ds, d.nodes.list(), owned.filter((p) => !isDeleting(p)));
  if (d.expectations.satisfied(key) && d.expectations.satisfied(deletionsKey(key))) {
    const { create, remove } = manage(plans, owned);
    const update = ds.spec?.updateStrategy?.type === 'OnDelete' ? { create: [], remove: [] } : planRollingUpdate(ds, plans, hash, d.clock.now());
    await apply(d, ds, key, hash, [...create, ...update.create], [...remove, ...update.remove]);
  }
  await writeStatus(d, ds, plans, hash, collisionCount);
  const live = new Set([revision.metadata.name ?? '', ...owned.map((p) => `${ds.metadata.name}-${p.metadata.labels?.[REVISION_HASH_LABEL]}`)]);
  await truncateHistory(d.client, sortByRevision(revs), live, ds.spec?.revisionHistoryLimit ?? 10);
}

function planNodes(ds: DaemonSet, nodes: readonly Node[], live: readonly Pod[]): NodePlan[] {
  const byNode = new Map<string, Pod[]>();
  for (const p of live) {
    const n = targetNodeOf(p) ?? '';
    byNode.set(n, [...(byNode.get(n) ?? []), p]);
  }
  const plans: NodePlan[] = nodes.map((n) => ({ node: n.metadata.name ?? '', ...placementOn(ds, n), pods: byNode.get(n.metadata.name ?? '') ?? [] }));
  // Pods on nodes that no longer exist (or with no node at all) must go.
  const known = new Set(plans.map((p) => p.node));
  for (const [node, list] of byNode) if (!known.has(node)) plans.push({ node, shouldRun: false, shouldContinueRunning: false, pods: list });
  return plans;
}

/** Nodes missing a pod get one; surplus, failed and misplaced pods go. */
function manage(plans: readonly NodePlan[], owned: readonly Pod[]): { create: string[]; remove: Pod[] } {
  const create: string[] = [];
  const remove: Pod[] = [];
  const terminatingOn = new Set(owned.filter(isDeleting).map((p) => targetNodeOf(p)));
  for (const plan of plans) {
    if (plan.shouldRun && plan.pods.length === 0) {
      if (!terminatingOn.has(plan.node)) create.push(plan.node);
    } else if (plan.shouldContinueRunning) {
      const failed = plan.pods.filter((p) => p.status?.phase === 'Failed');
      remove.push(...failed);
      const running = plan.pods.filter((p) => !failed.includes(p)).sort((a, b) => creationTime(a) - creationTime(b));
      // Keep the oldest; a rolling update with surge may hold two (its own logic decides).
      if (running.length > 1 && !running.some((p) => p.metadata.labels?.[REVISION_HASH_LABEL] !== running[0]!.metadata.labels?.[REVISION_HASH_LABEL])) {
        remove.push(...running.slice(1));
      }
    } else remove.push(...plan.pods);
  }
  return { create, remove };
}

export function daemonPod(ds: DaemonSet, node: string, hash: string): Pod {
  const tpl = structuredClone(ds.spec?.template ?? {});
  const spec: Record<string, unknown> = { ...(tpl.spec ?? {}) };
  spec['affinity'] = pinToNode(spec['affinity'], node);
  spec['tolerations'] = withDaemonTolerations(spec['tolerations'] as Toleration[] | undefined, spec['hostNetwork'] === true);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(tpl.metadata ?? {}),
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace ?? 'default',
      labels: { ...(tpl.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
      ownerReferences: [controllerRef(ds, 'apps/v1', 'DaemonSet')],
    },
    spec,
  };
}

async function apply(d: DaemonSetSyncDeps, ds: DaemonSet, key: string, hash: string, create: string[], remove: Pod[]): Promise<void> {
  if (!create.length && !remove.length) return;
  d.expectations.expectCreations(key, create.length);
  d.expectations.expectDeletions(deletionsKey(key), remove.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
  const errors: unknown[] = [];
  await Promise.all([
    ...create.map(async (node) => {
      try {
        const p = await d.client.create<Pod>(pods, ds.metadata.namespace, daemonPod(ds, node, hash));
        d.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${p.metadata.name}`);
      } catch (e) {
        d.expectations.creationObserved(key);
        d.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
        errors.push(e);
      }
    }),
    ...remove.map(async (p) => {
      try {
        await d.client.delete(pods, p.metadata.namespace, p.metadata.name ?? '');
        d.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`);
      } catch (e) {
        d.expectations.deletionObserved(deletionsKey(key), `${p.metadata.namespace}/${p.metadata.name}`);
        if (!isNotFound(e)) errors.push(e);
      }
    }),
  ]);
  if (errors.length) throw errors[0];
}

async function writeStatus(d: DaemonSetSyncDeps, ds: DaemonSet, plans: readonly NodePlan[], hash: string, collisionCount: number): Promise<void> {
  const now = d.clock.now();
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const wanted = plans.filter((p) => p.shouldRun);
  const available = wanted.filter((p) => p.pods.some((x) => isAvailable(x, minReady, now))).length;
  const status: DaemonSetStatus = {
    ...(ds.status ?? {}),
    currentNumberScheduled: wanted.filter((p) => p.pods.length > 0).length,
    numberMisscheduled: plans.filter((p) => !p.shouldRun && p.pods.length > 0).length,
    desiredNumberScheduled: wanted.length,
    numberReady: wanted.filter((p) => p.pods.some(isReady)).length,
    observedGeneration: ds.metadata.generation ?? 0,
    updatedNumberScheduled: wanted.filter((p) => p.pods.some((x) => x.metadata.labels?.[REVISION_HASH_LABEL] === hash)).length,
    numberAvailable: available,
    numberUnavailable: wanted.length - available,
    collisionCount,
  };
  if (minReady > 0 && (status.numberReady ?? 0) > available) d.requeueAfter(`${ds.metadata.namespace}/${ds.metadata.name}`, minReady * 1000);
  if (JSON.stringify(status) === JSON.stringify(ds.status ?? {})) return;
  await d.client.update(daemonsets, ds.metadata.namespace, { ...ds, status }, { subresource: 'status' });
}
