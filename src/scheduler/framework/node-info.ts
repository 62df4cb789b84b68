// What the scheduler knows of one node: the Node, its pods (bound or assumed), and
// running totals kept up to date as pods come and go, so filters never re-sum pods.

import type { Node, Pod } from '../types.ts';
import { affinityTerm, type AffinityTerm } from './affinity-term.ts';
import { cloneResource, emptyResource, nodeAllocatable, podRequests, type PodRequests, type Resource } from './resource.ts';

export type HostPort = { ip: string; protocol: string; port: number };

/** A pod with the parts scheduling reads often, parsed once. */
export type PodInfo = {
  pod: Pod;
  key: string;
  priority: number;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: AffinityTerm[];
  preferredAntiAffinity: AffinityTerm[];
  hostPorts: HostPort[];
  requests: PodRequests;
};

export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export function newPodInfo(pod: Pod, priority = podPriority(pod)): PodInfo {
  const a = pod.spec?.affinity;
  const req = (terms: { topologyKey: string }[] | undefined) => (terms ?? []).map((t) => affinityTerm(pod, t as never));
  const pref = (terms: { weight: number; podAffinityTerm: unknown }[] | undefined) =>
    (terms ?? []).map((t) => affinityTerm(pod, t.podAffinityTerm as never, t.weight));
  const hostPorts: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return {
    pod,
    key: `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`,
    priority,
    requiredAffinity: req(a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: req(a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: pref(a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: pref(a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    hostPorts,
    requests: podRequests(pod),
  };
}

// Pods whose terms can change another pod's score (required anti-affinity alone only filters).
const hasAffinity = (p: PodInfo) => p.requiredAffinity.length + p.preferredAffinity.length + p.preferredAntiAffinity.length > 0;

export class NodeInfo {
  node: Node | undefined;
  readonly name: string;
  pods: PodInfo[] = [];
  /** Pods with affinity terms that score (required affinity, preferred terms). */
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  requested: Resource = emptyResource();
  /** Requests with defaults for containers that ask nothing (for scoring). */
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  allocatable: Resource = emptyResource();
  usedPorts: HostPort[] = [];
  /** Image name to size, from node status. */
  images = new Map<string, number>();
  generation = 0;
  private labelView: Readonly<Record<string, string>> = emptyLabels;

  constructor(name: string, node?: Node) {
    this.name = name;
    if (node) this.setNode(node);
  }

  /**
   * The node's labels with no prototype: plugins read them by topology keys
   * a user chose, and on a plain object a node without a "constructor" label
   * would still answer one.
   */
  labels(): Readonly<Record<string, string>> {
    return this.labelView;
  }

  setNode(node: Node): void {
    this.node = node;
    this.labelView = Object.assign(Object.create(null) as Record<string, string>, node.metadata.labels);
    this.allocatable = nodeAllocatable(node);
    this.images = new Map();
    for (const img of node.status?.images ?? []) for (const n of img.names ?? []) this.images.set(n, img.sizeBytes ?? 0);
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (hasAffinity(pi)) this.podsWithAffinity.push(pi);
    if (pi.requiredAntiAffinity.length > 0) this.podsWithRequiredAntiAffinity.push(pi);
    this.account(pi, 1);
  }

  /** Removes the pod with this key; false when it was not here. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    if (this.podsWithAffinity.length > 0) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p.key !== key);
    if (this.podsWithRequiredAntiAffinity.length > 0) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p.key !== key);
    this.account(pi, -1);
    return true;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    const r = pi.requests;
    this.requested.milliCPU += sign * r.requests.milliCPU;
    this.requested.memory += sign * r.requests.memory;
    this.requested.ephemeralStorage += sign * r.requests.ephemeralStorage;
    for (const [k, v] of r.requests.scalar) this.requested.scalar.set(k, (this.requested.scalar.get(k) ?? 0) + sign * v);
    this.nonZeroMilliCPU += sign * r.nonZeroMilliCPU;
    this.nonZeroMemory += sign * r.nonZeroMemory;
    if (sign > 0) this.usedPorts.push(...pi.hostPorts);
    else if (pi.hostPorts.length > 0) {
      for (const hp of pi.hostPorts) {
        const i = this.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
        if (i >= 0) this.usedPorts.splice(i, 1);
      }
    }
  }

  clone(): NodeInfo {
    const c = new NodeInfo(this.name);
    c.node = this.node;
    c.labelView = this.labelView;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.requested = cloneResource(this.requested);
    c.nonZeroMilliCPU = this.nonZeroMilliCPU;
    c.nonZeroMemory = this.nonZeroMemory;
    c.allocatable = this.allocatable;
    c.usedPorts = this.usedPorts.slice();
    c.images = this.images;
    c.generation = this.generation;
    return c;
  }
}

const emptyLabels: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);
