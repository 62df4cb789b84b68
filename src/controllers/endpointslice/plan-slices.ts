// Which slices to create, update and delete so a Service's slices hold the
// desired endpoints, moving as few endpoints as possible: endpoints stay in
// the slice they are in, new ones fill free room first, then new slices.

import { deepEqual } from '../../machinery/deep-equal.ts';
import type { EndpointGroup } from './desired-slice-endpoints.ts';
import { groupKey } from './desired-slice-endpoints.ts';
import type { EndpointSlice, SliceEndpoint } from './types.ts';

export type SlicePlan = {
  /** New slices: endpoints, ports, addressType set; metadata is filled by the caller. */
  create: Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'>[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
};

const identity = (ep: SliceEndpoint): string => ep.targetRef.uid || ep.addresses[0] || '';

export function planSlices(groups: readonly EndpointGroup[], existing: readonly EndpointSlice[], maxPerSlice: number): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const byKey = new Map<string, EndpointSlice[]>();
  for (const s of existing) {
    const k = groupKey(s.addressType, s.ports);
    byKey.set(k, [...(byKey.get(k) ?? []), s]);
  }
  const wanted = new Set(groups.map((g) => g.key));
  for (const [k, slices] of byKey) if (!wanted.has(k)) plan.delete.push(...slices);

  for (const g of groups) {
    const desired = new Map(g.endpoints.map((ep) => [identity(ep), ep]));
    const placed = new Set<string>();
    const slices = (byKey.get(g.key) ?? []).map((s) => ({ old: s, endpoints: [] as SliceEndpoint[] }));
    for (const s of slices) {
      for (const ep of s.old.endpoints ?? []) {
        const id = identity(ep);
        const want = desired.get(id);
        if (want && !placed.has(id) && s.endpoints.length < maxPerSlice) {
          s.endpoints.push(want);
          placed.add(id);
        }
      }
    }
    const pending = g.endpoints.filter((ep) => !placed.has(identity(ep)));
    for (const s of slices) {
      while (pending.length > 0 && s.endpoints.length < maxPerSlice) s.endpoints.push(pending.shift()!);
    }
    while (pending.length > 0) plan.create.push({ addressType: g.addressType, ports: g.ports, endpoints: pending.splice(0, maxPerSlice) });
    for (const s of slices) {
      if (s.endpoints.length === 0) plan.delete.push(s.old);
      else if (!deepEqual(s.endpoints, s.old.endpoints ?? [])) plan.update.push({ ...structuredClone(s.old), endpoints: s.endpoints });
    }
  }
  return keepPlaceholder(plan, groups, existing);
}

/** A selector Service with no endpoints keeps one empty slice, as Kubernetes does. */
function keepPlaceholder(plan: SlicePlan, groups: readonly EndpointGroup[], existing: readonly EndpointSlice[]): SlicePlan {
  if (groups.some((g) => g.endpoints.length > 0)) return plan;
  const isPlaceholder = (s: EndpointSlice) => (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0 && s.addressType === 'IPv4';
  const keep = existing.find(isPlaceholder) ?? existing.find((s) => s.addressType === 'IPv4');
  if (!keep) return { create: [{ addressType: 'IPv4', ports: [], endpoints: [] }], update: [], delete: plan.delete };
  const rest = plan.delete.filter((s) => s !== keep);
  const update = isPlaceholder(keep) ? [] : [{ ...structuredClone(keep), ports: [], endpoints: [] }];
  return { create: [], update, delete: rest };
}
