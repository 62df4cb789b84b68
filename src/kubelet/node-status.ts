// The Node object a kubelet registers and the status it reports: capacity,
// allocatable, conditions, addresses and nodeInfo.

import { rfc3339 } from '../machinery/clock.ts';
import type { Node, NodeCondition, NodeStatus } from './types.ts';

export const kubeletVersion = 'v1.32.0';

export type NodeConfig = {
  name: string;
  /** Capacity as quantities: cpu, memory, pods, ephemeral-storage. */
  capacity: { cpu: string; memory: string; pods: string; 'ephemeral-storage': string };
  labels: Record<string, string>;
  internalIP: string;
  kubeletPort: number;
  podCIDR?: string;
  osImage: string;
  kernelVersion: string;
  containerRuntimeVersion: string;
  machineID: string;
  taints?: { key: string; value?: string; effect: string }[];
};

/** Labels every kubelet sets on its node; hollow nodes add a role and zone. */
export function defaultNodeLabels(name: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  };
}

export function registrationNode(cfg: NodeConfig, now: number): Node {
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: cfg.name, labels: { ...cfg.labels }, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: {},
    status: nodeStatus(cfg, undefined, now),
  };
  if (cfg.podCIDR) node.spec = { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] };
  if (cfg.taints?.length) node.spec = { ...node.spec, taints: cfg.taints };
  return node;
}

const conditionTexts: Record<string, [string, string]> = {
  MemoryPressure: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  DiskPressure: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  PIDPressure: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  Ready: ['KubeletReady', 'kubelet is posting ready status'],
};

/** The status to report now; conditions keep their lastTransitionTime while unchanged. */
export function nodeStatus(cfg: NodeConfig, old: NodeStatus | undefined, now: number): NodeStatus {
  const t = rfc3339(now);
  const conditions: NodeCondition[] = Object.entries(conditionTexts).map(([type, [reason, message]]) => {
    const status = type === 'Ready' ? 'True' : 'False';
    const prev = old?.conditions?.find((c) => c.type === type);
    const since = prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : t;
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: since, reason, message };
  });
  const capacity = { ...cfg.capacity };
  return {
    capacity,
    allocatable: { ...capacity },
    conditions,
    addresses: [
      { type: 'InternalIP', address: cfg.internalIP },
      { type: 'Hostname', address: cfg.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: cfg.kubeletPort } },
    nodeInfo: {
      machineID: cfg.machineID,
      systemUUID: cfg.machineID,
      bootID: cfg.machineID,
      kernelVersion: cfg.kernelVersion,
      osImage: cfg.osImage,
      containerRuntimeVersion: cfg.containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: kubeletVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** True when a report would change more than heartbeat times. */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  const strip = (s: NodeStatus | undefined) => JSON.stringify({ ...s, conditions: s?.conditions?.map(({ lastHeartbeatTime: _h, ...c }) => c) });
  return strip(a) !== strip(b);
}
