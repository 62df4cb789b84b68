// Resource amounts as plain numbers (cpu in millicores, the rest in units), computed
// once per pod and node: Quantity parsing is far too slow for the filter loop.

import { parseQuantity } from '../../machinery/quantity.ts';
import type { Node, Pod, ResourceList } from '../types.ts';

export type Resource = {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  /** Extended and hugepages resources by name. */
  scalar: Map<string, number>;
};

export const emptyResource = (): Resource => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: new Map() });

// What BalancedAllocation and the *Allocated scorers count for a container that requests nothing.
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

const parsed = new Map<string, number>();
function amount(name: string, q: string | number): number {
  const key = `${name === 'cpu' ? 'm' : 'v'}${q}`;
  let v = parsed.get(key);
  if (v === undefined) {
    try {
      const quantity = parseQuantity(q);
      v = name === 'cpu' ? quantity.milliValue() : quantity.value();
    } catch {
      v = 0;
    }
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(key, v);
  }
  return v;
}

export function addList(r: Resource, list: ResourceList | undefined): void {
  if (!list) return;
  for (const name in list) {
    const v = amount(name, list[name]!);
    addOne(r, name, v);
  }
}

function addOne(r: Resource, name: string, v: number): void {
  switch (name) {
    case 'cpu':
      r.milliCPU += v;
      break;
    case 'memory':
      r.memory += v;
      break;
    case 'ephemeral-storage':
      r.ephemeralStorage += v;
      break;
    case 'pods':
      r.pods += v;
      break;
    default:
      r.scalar.set(name, (r.scalar.get(name) ?? 0) + v);
  }
}

function fromList(list: ResourceList | undefined): Resource {
  const r = emptyResource();
  addList(r, list);
  return r;
}

function maxInto(r: Resource, o: Resource): void {
  r.milliCPU = Math.max(r.milliCPU, o.milliCPU);
  r.memory = Math.max(r.memory, o.memory);
  r.ephemeralStorage = Math.max(r.ephemeralStorage, o.ephemeralStorage);
  for (const [k, v] of o.scalar) r.scalar.set(k, Math.max(r.scalar.get(k) ?? 0, v));
}

function addInto(r: Resource, o: Resource): void {
  r.milliCPU += o.milliCPU;
  r.memory += o.memory;
  r.ephemeralStorage += o.ephemeralStorage;
  for (const [k, v] of o.scalar) r.scalar.set(k, (r.scalar.get(k) ?? 0) + v);
}

export type PodRequests = { requests: Resource; /** cpu/memory with defaults for containers asking nothing */ nonZeroMilliCPU: number; nonZeroMemory: number };

const podRequestsCache = new WeakMap<Pod, PodRequests>();

/**
 * The pod's effective request: the sum over containers (restartable init containers,
 * i.e. sidecars, included), at least the largest init container, plus overhead.
 */
export function podRequests(pod: Pod): PodRequests {
  let cached = podRequestsCache.get(pod);
  if (cached) return cached;
  const spec = pod.spec ?? {};
  const sum = emptyResource();
  let nzCPU = 0;
  let nzMem = 0;
  for (const c of spec.containers ?? []) {
    const req = c.resources?.requests;
    addList(sum, req);
    nzCPU += req?.cpu !== undefined ? amount('cpu', req.cpu) : defaultMilliCPURequest;
    nzMem += req?.memory !== undefined ? amount('memory', req.memory) : defaultMemoryRequest;
  }
  // Most pods have no init containers: skip building the empty totals (this runs on every bound pod's update).
  if (spec.initContainers?.length) {
    const sidecars = emptyResource();
    const initMax = emptyResource();
    for (const c of spec.initContainers) {
      const req = fromList(c.resources?.requests);
      if (c.restartPolicy === 'Always') {
        addInto(sidecars, req);
        addInto(sum, req);
      } else {
        const withSidecars = emptyResource();
        addInto(withSidecars, req);
        addInto(withSidecars, sidecars);
        maxInto(initMax, withSidecars);
      }
    }
    maxInto(sum, initMax);
    nzCPU = Math.max(nzCPU, initMax.milliCPU);
    nzMem = Math.max(nzMem, initMax.memory);
  }
  if (spec.overhead) {
    const o = fromList(spec.overhead);
    addInto(sum, o);
    nzCPU += o.milliCPU;
    nzMem += o.memory;
  }
  cached = { requests: sum, nonZeroMilliCPU: nzCPU, nonZeroMemory: nzMem };
  podRequestsCache.set(pod, cached);
  return cached;
}

export function nodeAllocatable(node: Node): Resource {
  return fromList(node.status?.allocatable ?? node.status?.capacity);
}

export function cloneResource(r: Resource): Resource {
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, pods: r.pods, scalar: new Map(r.scalar) };
}
