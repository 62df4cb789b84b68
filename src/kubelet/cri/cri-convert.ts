// Converts between runtime.ts types and CRI v1 messages (as @grpc/proto-loader
// objects: camelCase fields, enums as names, int64 as numbers).

import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  Image,
  LinuxContainerConfig,
  LinuxPodSandboxConfig,
  Mount,
  NamespaceOptions,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxMetadata,
  PodSandboxStatus,
} from '../runtime/runtime.ts';

/** A decoded proto message: loose on purpose, every field is read defensively. */
export type Msg = Record<string, any>;

const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : 0);
const strMap = (v: unknown): Record<string, string> => ({ ...((v as Record<string, string> | undefined) ?? {}) });
const int64Value = (v: number | undefined): Msg | undefined => (v === undefined ? undefined : { value: v });

// Drops undefined fields so proto-loader never sees them.
function clean<T extends Msg>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function namespaceOptions(n: NamespaceOptions | undefined): Msg | undefined {
  if (!n) return undefined;
  return clean({ network: n.network, pid: n.pid, ipc: n.ipc });
}

function mounts(ms: Mount[] | undefined): Msg[] {
  return (ms ?? []).map((m) =>
    clean({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly ?? false, selinuxRelabel: m.selinuxRelabel ?? false, propagation: m.propagation }),
  );
}

function linuxSandbox(l: LinuxPodSandboxConfig | undefined): Msg | undefined {
  if (!l) return undefined;
  const sc = l.securityContext;
  return clean({
    cgroupParent: l.cgroupParent,
    sysctls: l.sysctls,
    securityContext: sc
      ? clean({
          namespaceOptions: namespaceOptions(sc.namespaceOptions),
          privileged: sc.privileged,
          runAsUser: int64Value(sc.runAsUser),
          runAsGroup: int64Value(sc.runAsGroup),
          supplementalGroups: sc.supplementalGroups,
          readonlyRootfs: sc.readonlyRootfs,
        })
      : undefined,
  });
}

export function sandboxConfigToCri(c: PodSandboxConfig): Msg {
  return clean({
    metadata: { ...c.metadata },
    hostname: c.hostname,
    logDirectory: c.logDirectory,
    dnsConfig: c.dnsConfig ? { servers: c.dnsConfig.servers, searches: c.dnsConfig.searches, options: c.dnsConfig.options } : undefined,
    portMappings: (c.portMappings ?? []).map((p) => clean({ protocol: p.protocol, containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIp })),
    labels: c.labels,
    annotations: c.annotations,
    linux: linuxSandbox(c.linux),
  });
}

function linuxContainer(l: LinuxContainerConfig | undefined): Msg | undefined {
  if (!l) return undefined;
  const r = l.resources;
  const sc = l.securityContext;
  return clean({
    resources: r ? clean({ cpuPeriod: r.cpuPeriod, cpuQuota: r.cpuQuota, cpuShares: r.cpuShares, memoryLimitInBytes: r.memoryLimitInBytes, oomScoreAdj: r.oomScoreAdj }) : undefined,
    securityContext: sc
      ? clean({
          capabilities: sc.capabilities ? { addCapabilities: sc.capabilities.addCapabilities ?? [], dropCapabilities: sc.capabilities.dropCapabilities ?? [] } : undefined,
          privileged: sc.privileged,
          namespaceOptions: namespaceOptions(sc.namespaceOptions),
          runAsUser: int64Value(sc.runAsUser),
          runAsGroup: int64Value(sc.runAsGroup),
          runAsUsername: sc.runAsUsername,
          readonlyRootfs: sc.readonlyRootfs,
          supplementalGroups: sc.supplementalGroups,
          noNewPrivs: sc.noNewPrivs,
        })
      : undefined,
  });
}

export function containerConfigToCri(c: ContainerConfig): Msg {
  return clean({
    metadata: { ...c.metadata },
    image: { image: c.image.image },
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    envs: c.envs.map((e) => ({ key: e.key, value: e.value })),
    mounts: mounts(c.mounts),
    labels: c.labels,
    annotations: c.annotations,
    logPath: c.logPath,
    stdin: c.stdin,
    stdinOnce: c.stdinOnce,
    tty: c.tty,
    linux: linuxContainer(c.linux),
  });
}

export function sandboxFilterToCri(f: PodSandboxFilter | undefined): Msg | undefined {
  if (!f) return undefined;
  return clean({ id: f.id, state: f.state ? { state: f.state } : undefined, labelSelector: f.labelSelector });
}

export function containerFilterToCri(f: ContainerFilter | undefined): Msg | undefined {
  if (!f) return undefined;
  return clean({ id: f.id, podSandboxId: f.podSandboxId, state: f.state ? { state: f.state } : undefined, labelSelector: f.labelSelector });
}

function metadataFromCri(m: Msg | undefined): PodSandboxMetadata {
  return { name: m?.['name'] ?? '', uid: m?.['uid'] ?? '', namespace: m?.['namespace'] ?? '', attempt: num(m?.['attempt']) };
}

export function sandboxFromCri(s: Msg): PodSandbox {
  return {
    id: s['id'],
    metadata: metadataFromCri(s['metadata']),
    state: s['state'],
    createdAt: num(s['createdAt']),
    labels: strMap(s['labels']),
    annotations: strMap(s['annotations']),
  };
}

export function sandboxStatusFromCri(s: Msg): PodSandboxStatus {
  const net = s['network'] as Msg | undefined;
  return {
    ...sandboxFromCri(s),
    network: { ip: net?.['ip'] ?? '', additionalIps: ((net?.['additionalIps'] as Msg[] | undefined) ?? []).map((p) => p['ip'] as string) },
  };
}

export function containerFromCri(c: Msg): Container {
  return {
    id: c['id'],
    podSandboxId: c['podSandboxId'] ?? '',
    metadata: { name: c['metadata']?.['name'] ?? '', attempt: num(c['metadata']?.['attempt']) },
    image: { image: c['image']?.['image'] ?? '' },
    imageRef: c['imageRef'] ?? '',
    state: c['state'],
    createdAt: num(c['createdAt']),
    labels: strMap(c['labels']),
    annotations: strMap(c['annotations']),
  };
}

/** ContainerStatus has no sandbox id on the wire; the caller passes what it knows. */
export function containerStatusFromCri(s: Msg, podSandboxId: string): ContainerStatus {
  return {
    ...containerFromCri({ ...s, podSandboxId }),
    startedAt: num(s['startedAt']),
    finishedAt: num(s['finishedAt']),
    exitCode: num(s['exitCode']),
    reason: s['reason'] ?? '',
    message: s['message'] ?? '',
    logPath: s['logPath'] ?? '',
  };
}

export function imageFromCri(i: Msg): Image {
  const img: Image = { id: i['id'], repoTags: [...(i['repoTags'] ?? [])], repoDigests: [...(i['repoDigests'] ?? [])], size: num(i['size']) };
  // uid is an Int64Value wrapper, absent when the image's user is a name or unset.
  if (i['uid'] && i['uid']['value'] !== undefined) img.uid = num(i['uid']['value']);
  else if (i['username']) img.username = String(i['username']);
  return img;
}
