// Requests and limits → cgroup settings, as the kubelet computes them on
// cgroup v1: cpu.shares from the request, CFS quota from the limit, the
// memory limit, and an OOM score by QoS class.

import { parseQuantity } from '../../machinery/quantity.ts';
import { qosClass } from '../pod-status.ts';
import type { LinuxContainerResources } from '../runtime/runtime.ts';
import type { ContainerSpec, Pod } from '../types.ts';

const minShares = 2;
const cfsPeriod = 100_000;
const minQuota = 1000;

function milli(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : parseQuantity(v).milliValue();
}

function bytes(v: string | number | undefined): number | undefined {
  return v === undefined ? undefined : parseQuantity(v).value();
}

export function cpuShares(milliCpu: number): number {
  return Math.max(minShares, Math.floor((milliCpu * 1024) / 1000));
}

/**
 * `memoryCapacity` (bytes; the node's) is needed only to place Burstable pods
 * on the OOM scale; without it their score is left to the runtime.
 */
export function linuxResources(pod: Pod, c: ContainerSpec, memoryCapacity?: number): LinuxContainerResources {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const out: LinuxContainerResources = {};
  const cpuLimit = milli(lim['cpu']);
  // An unset request defaults to the limit, as API defaulting does.
  out.cpuShares = cpuShares(milli(req['cpu']) ?? cpuLimit ?? 0);
  if (cpuLimit !== undefined && cpuLimit > 0) {
    out.cpuPeriod = cfsPeriod;
    out.cpuQuota = Math.max(minQuota, Math.floor((cpuLimit * cfsPeriod) / 1000));
  }
  const memLimit = bytes(lim['memory']);
  if (memLimit !== undefined && memLimit > 0) out.memoryLimitInBytes = memLimit;
  const adj = oomScoreAdj(pod, c, memoryCapacity);
  if (adj !== undefined) out.oomScoreAdj = adj;
  return out;
}

/** Guaranteed pods die last, BestEffort first, Burstable by their share of the node's memory. */
export function oomScoreAdj(pod: Pod, c: ContainerSpec, memoryCapacity?: number): number | undefined {
  const qos = qosClass(pod);
  if (qos === 'Guaranteed') return -997;
  if (qos === 'BestEffort') return 1000;
  if (!memoryCapacity) return undefined;
  const request = bytes(c.resources?.requests?.['memory'] ?? c.resources?.limits?.['memory']) ?? 0;
  const adj = 1000 - Math.floor((1000 * request) / memoryCapacity);
  // Keep Burstable strictly between Guaranteed and BestEffort.
  return Math.min(999, Math.max(3, adj));
}
