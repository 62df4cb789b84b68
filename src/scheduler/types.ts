// The parts of core/v1 objects the scheduler reads. Objects come from informers
// and are shared: read-only everywhere in the scheduler.

import type { KubeObject } from '../api/meta.ts';
import type { LabelSelector } from '../machinery/labels.ts';

export type ResourceList = Record<string, string | number>;
export type ResourceRequirements = { requests?: ResourceList; limits?: ResourceList };
export type ContainerPort = { containerPort?: number; hostPort?: number; protocol?: string; hostIP?: string };
export type Container = { name: string; image?: string; resources?: ResourceRequirements; ports?: ContainerPort[]; restartPolicy?: string };

export type Toleration = { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number };
export type Taint = { key: string; value?: string; effect: string };

export type NodeSelectorRequirement = { key: string; operator: string; values?: string[] };
export type NodeSelectorTerm = { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] };
export type NodeSelector = { nodeSelectorTerms: NodeSelectorTerm[] };
export type PreferredSchedulingTerm = { weight: number; preference: NodeSelectorTerm };

export type PodAffinityTerm = {
  labelSelector?: LabelSelector | null;
  namespaces?: string[];
  namespaceSelector?: LabelSelector | null;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
};
export type WeightedPodAffinityTerm = { weight: number; podAffinityTerm: PodAffinityTerm };
export type PodAffinity = {
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
};
export type Affinity = {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
  podAffinity?: PodAffinity;
  podAntiAffinity?: PodAffinity;
};

export type TopologySpreadConstraint = {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector?: LabelSelector | null;
  minDomains?: number;
  nodeAffinityPolicy?: string;
  nodeTaintsPolicy?: string;
  matchLabelKeys?: string[];
};

export type PodSpec = {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  schedulerName?: string;
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: string;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: ResourceList;
  tolerations?: Toleration[];
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
};

export type PodCondition = { type: string; status: string; reason?: string; message?: string; lastProbeTime?: string | null; lastTransitionTime?: string };
export type PodStatus = { phase?: string; nominatedNodeName?: string; conditions?: PodCondition[] };

export type Pod = KubeObject & { spec?: PodSpec; status?: PodStatus };

export type NodeSpec = { unschedulable?: boolean; taints?: Taint[] };
export type ContainerImage = { names?: string[]; sizeBytes?: number };
export type NodeStatus = { allocatable?: ResourceList; capacity?: ResourceList; images?: ContainerImage[]; conditions?: { type: string; status: string }[] };
export type Node = KubeObject & { spec?: NodeSpec; status?: NodeStatus };

export type PriorityClass = KubeObject & { value?: number; globalDefault?: boolean; preemptionPolicy?: string };
export type PodDisruptionBudget = KubeObject & {
  spec?: { selector?: LabelSelector | null };
  status?: { disruptionsAllowed?: number };
};
export type Namespace = KubeObject;

export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
