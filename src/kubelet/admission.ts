// Node-side admission: a pod bound here is rejected (status Failed, with the
// kubelet's reason) when it does not fit what is left of allocatable or its
// node selector / required node affinity does not match this node.

import { parseQuantity } from '../machinery/quantity.ts';
import { podFitsNodeSelector } from '../api/node-selector.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

export type NodeView = { name: string; labels: Readonly<Record<string, string>>; allocatable: Readonly<Record<string, string>> };

// Admitting a pod re-adds the requests of every pod on the node, and a cluster uses few distinct
// quantities ("100m", "64Mi"): parse each once. Bounded, so odd values cannot grow it forever.
const amounts = new Map<string, number>();

/** Milli-units for cpu, plain units for everything else, as the scheduler counts them. */
function amount(resource: string, q: string | number): number {
  const key = `${resource === 'cpu' ? 'm' : ''}${typeof q}:${q}`;
  let v = amounts.get(key);
  if (v === undefined) {
    const parsed = parseQuantity(q);
    v = resource === 'cpu' ? parsed.milliValue() : parsed.value();
    if (amounts.size >= 1024) amounts.clear();
    amounts.set(key, v);
  }
  return v;
}

/** Effective requests: max(sum of containers, any init container) plus overhead. */
export function podRequests(pod: Pod): Map<string, number> {
  const sum = new Map<string, number>();
  const add = (to: Map<string, number>, c: ContainerSpec) => {
    for (const [r, q] of Object.entries(c.resources?.requests ?? {})) to.set(r, (to.get(r) ?? 0) + amount(r, q));
  };
  for (const c of pod.spec.containers) add(sum, c);
  for (const c of pod.spec.initContainers ?? []) {
    const one = new Map<string, number>();
    add(one, c);
    for (const [r, v] of one) if (v > (sum.get(r) ?? 0)) sum.set(r, v);
  }
  for (const [r, q] of Object.entries(pod.spec.overhead ?? {})) sum.set(r, (sum.get(r) ?? 0) + amount(r, q));
  return sum;
}

export function nodeMatches(pod: Pod, node: NodeView): boolean {
  return podFitsNodeSelector(pod.spec, node);
}

/** `active` are the pods already admitted and not finished on this node. */
export function admitPod(pod: Pod, node: NodeView, active: readonly Pod[]): AdmitResult {
  if (!nodeMatches(pod, node)) {
    return { admit: false, reason: 'NodeAffinity', message: "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" };
  }
  const maxPods = Number.parseInt(node.allocatable.pods ?? '110', 10);
  if (active.length + 1 > maxPods) {
    return { admit: false, reason: 'OutOfpods', message: `Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: ${active.length}, capacity: ${maxPods}` };
  }
  const want = podRequests(pod);
  const used = new Map<string, number>();
  for (const p of active) for (const [r, v] of podRequests(p)) used.set(r, (used.get(r) ?? 0) + v);
  for (const [r, v] of want) {
    if (v === 0) continue;
    const alloc = node.allocatable[r];
    const capacity = alloc === undefined ? 0 : amount(r, alloc);
    const u = used.get(r) ?? 0;
    if (u + v > capacity) {
      return { admit: false, reason: `OutOf${r}`, message: `Pod was rejected: Node didn't have enough resource: ${r}, requested: ${v}, used: ${u}, capacity: ${capacity}` };
    }
  }
  return { admit: true };
}
