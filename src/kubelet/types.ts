// The parts of core/v1 Pod and Node the kubelet reads and writes.

import type { ObjectMeta } from '../api/meta.ts';
import type { Volume, VolumeMount } from './volumes/volume-types.ts';

export type ExecAction = { command?: string[] };
export type HTTPGetAction = { path?: string; port: number | string; host?: string; scheme?: 'HTTP' | 'HTTPS'; httpHeaders?: { name: string; value: string }[] };
export type TCPSocketAction = { port: number | string; host?: string };
export type GRPCAction = { port: number; service?: string };

export type Probe = {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  grpc?: GRPCAction;
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
};

export type LifecycleHandler = { exec?: ExecAction; httpGet?: HTTPGetAction; tcpSocket?: TCPSocketAction; sleep?: { seconds: number } };

export type ResourceRequirements = { requests?: Record<string, string | number>; limits?: Record<string, string | number> };

export type ObjectFieldSelector = { apiVersion?: string; fieldPath: string };
export type ResourceFieldSelector = { containerName?: string; resource: string; divisor?: string | number };
export type KeySelector = { name: string; key: string; optional?: boolean };
export type EnvVarSource = { fieldRef?: ObjectFieldSelector; resourceFieldRef?: ResourceFieldSelector; configMapKeyRef?: KeySelector; secretKeyRef?: KeySelector };
export type EnvVar = { name: string; value?: string; valueFrom?: EnvVarSource };
export type EnvFromSource = { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } };

export type SecurityContext = {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
};

export type PodSecurityContext = {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  supplementalGroups?: number[];
  fsGroup?: number;
  sysctls?: { name: string; value: string }[];
};

export type PodDNSConfig = { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };

export type ContainerSpec = {
  name: string;
  image?: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: { containerPort: number; name?: string; protocol?: string; hostPort?: number; hostIP?: string }[];
  securityContext?: SecurityContext;
  terminationMessagePath?: string;
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  resources?: ResourceRequirements;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: LifecycleHandler; preStop?: LifecycleHandler };
  /** `Always` on an init container makes it a sidecar. */
  restartPolicy?: 'Always';
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  volumeMounts?: VolumeMount[];
};

export type PodSpec = {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  containers: ContainerSpec[];
  initContainers?: ContainerSpec[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  activeDeadlineSeconds?: number;
  /** Extra conditions (set by others) that must be True for the pod to be Ready. */
  readinessGates?: { conditionType: string }[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  hostname?: string;
  subdomain?: string;
  serviceAccountName?: string;
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: PodDNSConfig;
  securityContext?: PodSecurityContext;
  overhead?: Record<string, string | number>;
  affinity?: { nodeAffinity?: NodeAffinity };
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  volumes?: Volume[];
};

export type NodeSelectorRequirement = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] };
export type NodeSelectorTerm = { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] };
export type NodeAffinity = { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } };

export type ContainerStateWaiting = { reason?: string; message?: string };
export type ContainerStateRunning = { startedAt?: string };
export type ContainerStateTerminated = {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
};
export type ContainerState = { waiting?: ContainerStateWaiting; running?: ContainerStateRunning; terminated?: ContainerStateTerminated };

export type ContainerStatus = {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
  started?: boolean;
};

export type PodCondition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
};

export type PodIP = { ip: string };

export type PodStatus = {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: PodCondition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  hostIPs?: PodIP[];
  podIP?: string;
  podIPs?: PodIP[];
  startTime?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
};

export type Pod = { apiVersion?: string; kind?: string; metadata: ObjectMeta; spec: PodSpec; status?: PodStatus };

export type NodeCondition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
};

export type NodeStatus = {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  conditions?: NodeCondition[];
  addresses?: { type: string; address: string }[];
  daemonEndpoints?: { kubeletEndpoint: { Port: number } };
  nodeInfo?: Record<string, string>;
  images?: { names: string[]; sizeBytes: number }[];
};

export type Node = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { podCIDR?: string; podCIDRs?: string[]; unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[]; providerID?: string };
  status?: NodeStatus;
};

export type Lease = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string };
};
