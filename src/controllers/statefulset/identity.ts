// A StatefulSet pod's identity: its ordinal name, hostname/subdomain, the
// labels that find it, and the claims `<claim>-<set>-<ordinal>` it mounts.

import type { OwnerReference } from '../../api/meta.ts';
import { controllerRef } from '../common/controller-ref.ts';
import type { Pod, PodTemplateSpec } from '../common/types.ts';
import { REVISION_HASH_LABEL } from '../history/revisions.ts';
import { POD_INDEX_LABEL, POD_NAME_LABEL, type PersistentVolumeClaim, type StatefulSet } from './types.ts';

/** The ordinal of `<set>-<n>`, or undefined if the name is not one of the set's. */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name}-${ordinal}`;

export const claimName = (claim: string, set: StatefulSet, ordinal: number): string => `${claim}-${set.metadata.name}-${ordinal}`;

export function revisionOf(pod: Pod): string | undefined {
  return pod.metadata.labels?.[REVISION_HASH_LABEL];
}

/** The pod for `ordinal` from a revision's template. */
export function newStatefulPod(set: StatefulSet, template: PodTemplateSpec, ordinal: number, revisionHash: string): Pod {
  const name = podName(set, ordinal);
  const tpl = structuredClone(template);
  const spec: Record<string, unknown> = { ...(tpl.spec ?? {}) };
  spec['hostname'] = name;
  if (set.spec?.serviceName) spec['subdomain'] = set.spec.serviceName;
  spec['volumes'] = withClaimVolumes(set, spec['volumes'], ordinal);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...(tpl.metadata ?? {}),
      name,
      namespace: set.metadata.namespace ?? 'default',
      labels: { ...(tpl.metadata?.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revisionHash },
      ownerReferences: [controllerRef(set, 'apps/v1', 'StatefulSet')],
    },
    spec,
  };
}

// Claim templates replace any template volume of the same name.
function withClaimVolumes(set: StatefulSet, volumes: unknown, ordinal: number): unknown[] {
  const claims = set.spec?.volumeClaimTemplates ?? [];
  const names = new Set(claims.map((c) => c.metadata?.name));
  const kept = (Array.isArray(volumes) ? volumes : []).filter((v: { name?: string }) => !names.has(v.name));
  const claimVolumes = claims.map((c) => ({
    name: c.metadata?.name ?? '',
    persistentVolumeClaim: { claimName: claimName(c.metadata?.name ?? '', set, ordinal) },
  }));
  return [...kept, ...claimVolumes];
}

/** The claims the pod at `ordinal` needs, labelled with the set's selector. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  const selectorLabels = set.spec?.selector?.matchLabels ?? {};
  const owners: OwnerReference[] = [];
  // whenDeleted: Delete lets the garbage collector remove the claims with the set.
  if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete') {
    owners.push({ ...controllerRef(set, 'apps/v1', 'StatefulSet'), controller: false });
  }
  return (set.spec?.volumeClaimTemplates ?? []).map((c) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(c.metadata?.name ?? '', set, ordinal),
      namespace: set.metadata.namespace ?? 'default',
      labels: { ...(c.metadata?.labels ?? {}), ...selectorLabels },
      ...(c.metadata?.annotations ? { annotations: { ...c.metadata.annotations } } : {}),
      ...(owners.length ? { ownerReferences: owners } : {}),
    },
    spec: structuredClone(c.spec ?? {}),
  }));
}
