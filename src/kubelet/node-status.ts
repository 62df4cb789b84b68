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
  /** Real nodes: extra Node annotations (e.g. skiff.dev/local-storage-path). */
  annotations?: Record<string, string>;
  bootID?: string;
  /** Real nodes: pressure seen on the machine (hollow nodes never have any). */
  pressure?: { memory: boolean; disk: boolean; pid: boolean };
  /** Set while the node cannot run pods yet: Ready=False with this reason and message. */
  notReady?: { reason: string; message: string };
  /** Real nodes: whether the pod network (CNI) is configured; adds the NetworkUnavailable condition. */
  networkReady?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
};

/** The message a real kubelet reports while its CNI config is missing. */
export const cniNotReadyMessage =
  'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

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
    metadata: {
      name: cfg.name,
      labels: { ...cfg.labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', ...cfg.annotations },
    },
    spec: {},
    status: nodeStatus(cfg, undefined, now),
  };
  if (cfg.podCIDR) node.spec = { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] };
  if (cfg.taints?.length) node.spec = { ...node.spec, taints: cfg.taints };
  return node;
}

type ConditionText = { status: 'True' | 'False'; reason: string; message: string };

/** Each condition as the kubelet words it, healthy and not. */
function conditionTexts(cfg: NodeConfig): [string, ConditionText][] {
  const p = cfg.pressure;
  const out: [string, ConditionText][] = [
    ['MemoryPressure', p?.memory
      ? { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' }],
    ['DiskPressure', p?.disk
      ? { status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' }],
    ['PIDPressure', p?.pid
      ? { status: 'True', reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available' }
      : { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' }],
    ['Ready', cfg.notReady
      ? { status: 'False', ...cfg.notReady }
      : { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
  ];
  if (cfg.networkReady !== undefined) {
    out.unshift(['NetworkUnavailable', cfg.networkReady
      ? { status: 'False', reason: 'CNIConfigured', message: `pod network configured for ${cfg.podCIDR ?? 'the node'}` }
      : { status: 'True', reason: 'NoNetworkConfigured', message: 'waiting for the node\'s podCIDR to write the CNI config' }]);
  }
  return out;
}

/** The status to report now; conditions keep their lastTransitionTime while unchanged. */
export function nodeStatus(cfg: NodeConfig, old: NodeStatus | undefined, now: number): NodeStatus {
  const t = rfc3339(now);
  const conditions: NodeCondition[] = conditionTexts(cfg).map(([type, { status, reason, message }]) => {
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
      bootID: cfg.bootID ?? cfg.machineID,
      kernelVersion: cfg.kernelVersion,
      osImage: cfg.osImage,
      containerRuntimeVersion: cfg.containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: kubeletVersion,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    ...(cfg.images ? { images: cfg.images } : {}),
  };
}

/**
 * True when reporting `next` would change more than heartbeat times in `stored`. Only what the kubelet
 * reports counts: conditions others keep on the node (NetworkUnavailable, a problem detector's) do not.
 */
export function nodeStatusChanged(stored: NodeStatus | undefined, next: NodeStatus): boolean {
  const types = new Set(next.conditions?.map((c) => c.type));
  const strip = (s: NodeStatus | undefined) => {
    const own: Record<string, unknown> = {};
    for (const k of Object.keys(next) as (keyof NodeStatus)[]) own[k] = s?.[k];
    own['conditions'] = s?.conditions?.filter((c) => types.has(c.type)).map(({ lastHeartbeatTime: _h, ...c }) => c);
    return JSON.stringify(own);
  };
  return strip(stored) !== strip(next);
}

/**
 * The strategic merge patch of a node status report, as the kubelet sends it: conditions merge by type,
 * so conditions others set on the node stay; the addresses replace the list whole (merged by type,
 * two addresses of one type would collapse into one).
 */
export function nodeStatusPatch(status: NodeStatus): Record<string, unknown> {
  return { ...status, ...(status.addresses ? { addresses: [...status.addresses, { $patch: 'replace' }] } : {}) };
}
