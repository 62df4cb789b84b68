// The downward API for env vars: fieldRef (pod metadata, spec, status) and
// resourceFieldRef (a container's requests and limits, in units of a divisor).

import { getKey } from '../../machinery/own-keys.ts';
import { parseQuantity } from '../../machinery/quantity.ts';
import type { ContainerSpec, Pod, ResourceFieldSelector } from '../types.ts';

export type PodAddresses = { podIP: string; hostIP: string };

/** The value of a fieldRef path, or an error message naming the unsupported path. */
export function podFieldValue(pod: Pod, fieldPath: string, addr: PodAddresses): { value: string } | { error: string } {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    const map = (sub[1] === 'labels' ? m.labels : m.annotations) ?? {};
    return { value: getKey(map, sub[2] ?? '') ?? '' };
  }
  switch (fieldPath) {
    case 'metadata.name':
      return { value: m.name ?? '' };
    case 'metadata.namespace':
      return { value: m.namespace ?? '' };
    case 'metadata.uid':
      return { value: m.uid ?? '' };
    case 'metadata.labels':
      return { value: formatMap(m.labels ?? {}) };
    case 'metadata.annotations':
      return { value: formatMap(m.annotations ?? {}) };
    case 'spec.nodeName':
      return { value: pod.spec.nodeName ?? '' };
    case 'spec.serviceAccountName':
      return { value: pod.spec.serviceAccountName ?? '' };
    case 'status.hostIP':
    case 'status.hostIPs':
      return { value: addr.hostIP };
    case 'status.podIP':
    case 'status.podIPs':
      return { value: addr.podIP };
    default:
      return { error: `unsupported fieldPath: ${fieldPath}` };
  }
}

/** `k="v"` lines, sorted by key: how the downward API prints a whole map. */
function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${JSON.stringify(map[k])}`)
    .join('\n');
}

/**
 * A container's request or limit divided by the divisor and rounded up.
 * Unset limits fall back to the node's allocatable, unset requests to the limit.
 */
export function resourceFieldValue(
  pod: Pod,
  self: ContainerSpec,
  ref: ResourceFieldSelector,
  allocatable: Record<string, string | number> = {},
): { value: string } | { error: string } {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  const c = ref.containerName ? all.find((x) => x.name === ref.containerName) : self;
  if (!c) return { error: `container "${ref.containerName}" not found in pod ${pod.metadata.namespace}/${pod.metadata.name}` };
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(ref.resource);
  if (!m) return { error: `unsupported container resource: ${ref.resource}` };
  const kind = m[1] as 'limits' | 'requests';
  const res = m[2] as string;
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const raw = kind === 'limits' ? (limits[res] ?? allocatable[res]) : (requests[res] ?? limits[res]);
  try {
    const q = parseQuantity(raw ?? 0);
    const d = parseQuantity(ref.divisor ?? 1);
    if (d.isZero()) return { error: `invalid divisor 0 for resource ${ref.resource}` };
    if (res === 'cpu') return { value: String(Math.ceil(q.milliValue() / d.milliValue())) };
    return { value: String(Math.ceil(q.value() / d.value())) };
  } catch (e) {
    return { error: `invalid quantity for ${ref.resource}: ${(e as Error).message}` };
  }
}
