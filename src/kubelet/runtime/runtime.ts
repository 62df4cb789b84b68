// The container runtime as the kubelet sees it, shaped like CRI's
// RuntimeService and ImageService (k8s.io/cri-api runtime/v1), so the
// containerd CRI client and the fake runtime are interchangeable.

export type KeyValue = { key: string; value: string };

export type PodSandboxMetadata = { name: string; uid: string; namespace: string; attempt: number };

export type PodSandboxConfig = {
  metadata: PodSandboxMetadata;
  hostname?: string;
  logDirectory?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  portMappings?: { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort?: number; hostIp?: string }[];
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  linux?: LinuxPodSandboxConfig;
};

/** CRI NamespaceMode: POD (own namespace), CONTAINER, NODE (the host's). */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';
export type NamespaceOptions = { network?: NamespaceMode; pid?: NamespaceMode; ipc?: NamespaceMode };

export type LinuxPodSandboxConfig = {
  cgroupParent?: string;
  sysctls?: Record<string, string>;
  securityContext?: { namespaceOptions?: NamespaceOptions; privileged?: boolean; runAsUser?: number; runAsGroup?: number; supplementalGroups?: number[]; readonlyRootfs?: boolean };
};

/** CRI Mount; propagation as CRI spells it. */
export type Mount = {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
};

export type LinuxContainerResources = {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
};

export type LinuxContainerSecurityContext = {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOptions;
  runAsUser?: number;
  runAsGroup?: number;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
};

export type LinuxContainerConfig = { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export type PodSandbox = {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  /** Nanoseconds since the epoch, as CRI reports it. */
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

export type PodSandboxStatus = PodSandbox & { network: { ip: string; additionalIps: string[] } };

export type ContainerMetadata = { name: string; attempt: number };

export type ContainerConfig = {
  metadata: ContainerMetadata;
  image: { image: string };
  command: string[];
  args: string[];
  workingDir?: string;
  envs: KeyValue[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath?: string;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  mounts?: Mount[];
  linux?: LinuxContainerConfig;
};

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export type Container = {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: { image: string };
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
};

export type ContainerStatus = Container & {
  /** Nanoseconds; 0 when not started / not finished. */
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** e.g. `OOMKilled`, `Completed`, `Error` as the runtime reports it. */
  reason: string;
  message: string;
  /** Absolute path of the CRI log file (sandbox logDirectory + container logPath); '' when none. */
  logPath?: string;
};

export type ContainerFilter = { id?: string; podSandboxId?: string; state?: ContainerState; labelSelector?: Record<string, string> };
export type PodSandboxFilter = { id?: string; state?: PodSandboxState; labelSelector?: Record<string, string> };

export type ExecSyncResponse = { stdout: string; stderr: string; exitCode: number };

/** Streaming requests answer a one-use URL on the runtime's streaming server (CRI Exec/Attach/PortForward). */
export type ExecRequest = { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean };
export type AttachRequest = { containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean };
export type PortForwardRequest = { podSandboxId: string; port: number[] };

export type ContainerStats = {
  containerId: string;
  name: string;
  podSandboxId: string;
  /** Nanoseconds since the epoch when sampled. */
  timestamp: number;
  /** Cumulative CPU time in nanoseconds. */
  cpuUsageCoreNanoSeconds: number;
  memoryWorkingSetBytes: number;
  writableLayerBytes: number;
};

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface RuntimeService {
  /**
   * Optional: a number that changes whenever any sandbox or container changes state. A runtime
   * that can tell (the fake one) lets the PLEG skip relists in which nothing can have changed.
   */
  readonly revision?: number;
  version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Signals the container to stop (SIGTERM), kills it after `timeoutSeconds`. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse>;
  /** Streaming: the fake runtime throws (it has no processes to stream from). */
  exec(req: ExecRequest): Promise<{ url: string }>;
  attach(req: AttachRequest): Promise<{ url: string }>;
  portForward(req: PortForwardRequest): Promise<{ url: string }>;
  listContainerStats(filter?: { podSandboxId?: string; id?: string }): Promise<ContainerStats[]>;
  /** Asks the runtime to reopen a container's log file (after rotation). */
  reopenContainerLog(containerId: string): Promise<void>;
}

/** `uid` or `username`: the user the image's config names (a number goes in uid); neither when it names none (root). */
export type Image = { id: string; repoTags: string[]; repoDigests: string[]; size: number; uid?: number; username?: string };

export interface ImageService {
  listImages(): Promise<Image[]>;
  imageStatus(image: string): Promise<Image | undefined>;
  /** Returns the image reference (id) that was pulled. */
  pullImage(image: string, sandboxConfig?: PodSandboxConfig): Promise<string>;
  removeImage(image: string): Promise<void>;
  /** Bytes and inodes used by the image filesystem. */
  imageFsInfo(): Promise<{ mountpoint: string; usedBytes: number; inodesUsed: number }[]>;
}

/** Labels the kubelet puts on sandboxes and containers to find their pod again. */
export const runtimeLabels = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  /** `init` or `regular`: lets a runtime (the fake one) tell init containers apart. */
  containerType: 'io.skiff.container.type',
} as const;
