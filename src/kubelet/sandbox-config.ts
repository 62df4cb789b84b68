// A pod → the CRI PodSandboxConfig: identity, hostname, log directory,
// labels the kubelet finds it by, host ports, DNS, namespaces and sysctls.

import { podDnsConfig } from './container-config/pod-dns.ts';
import { namespaceOptions } from './container-config/security.ts';
import { runtimeLabels, type LinuxPodSandboxConfig, type PodSandboxConfig } from './runtime/runtime.ts';
import type { Pod } from './types.ts';

export type SandboxContext = {
  nodeName: string;
  /** D/agent/pod-logs; absent → no log directory (hollow nodes). */
  logRoot?: string;
  clusterDNS?: string[];
  clusterDomain?: string;
  /** The node's resolver file for dnsPolicy Default (default /etc/resolv.conf). */
  resolvConf?: string;
};

const protocols = new Set(['TCP', 'UDP', 'SCTP']);

/** The pod's hostname: spec.hostname, else its name, cut to a valid 63-character label. */
export function podHostname(pod: Pod): string {
  const name = pod.spec.hostname || pod.metadata.name || '';
  return name.slice(0, 63).replace(/[-.]+$/, '');
}

export function podLogDirectory(logRoot: string, pod: Pod): string {
  const m = pod.metadata;
  return `${logRoot}/${m.namespace ?? 'default'}_${m.name ?? ''}_${m.uid ?? ''}`;
}

export function buildSandboxConfig(pod: Pod, ctx: SandboxContext, attempt: number): PodSandboxConfig {
  const m = pod.metadata;
  const spec = pod.spec;
  const config: PodSandboxConfig = {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    labels: { ...(m.labels ?? {}), [runtimeLabels.podName]: m.name ?? '', [runtimeLabels.podNamespace]: m.namespace ?? '', [runtimeLabels.podUid]: m.uid ?? '' },
    annotations: { ...(m.annotations ?? {}) },
  };
  // A host-network pod keeps the node's hostname: the runtime fills it in.
  if (!spec.hostNetwork) config.hostname = podHostname(pod);
  if (ctx.logRoot) config.logDirectory = podLogDirectory(ctx.logRoot, pod);

  const ports = spec.containers.flatMap((c) => c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0);
  if (ports.length > 0) {
    config.portMappings = ports.map((p) => {
      const protocol = (p.protocol ?? 'TCP').toUpperCase();
      return {
        protocol: protocols.has(protocol) ? (protocol as 'TCP' | 'UDP' | 'SCTP') : 'TCP',
        containerPort: p.containerPort,
        ...(p.hostPort ? { hostPort: p.hostPort } : {}),
        ...(p.hostIP ? { hostIp: p.hostIP } : {}),
      };
    });
  }
  config.dnsConfig = podDnsConfig(pod, ctx);

  const ps = spec.securityContext ?? {};
  const security: NonNullable<LinuxPodSandboxConfig['securityContext']> = { namespaceOptions: namespaceOptions(pod) };
  // containerd refuses a group without a user for the pause process; the group matters only to containers.
  if (ps.runAsUser !== undefined) security.runAsUser = ps.runAsUser;
  if (ps.runAsUser !== undefined && ps.runAsGroup !== undefined) security.runAsGroup = ps.runAsGroup;
  const groups = [...(ps.supplementalGroups ?? []), ...(ps.fsGroup !== undefined ? [ps.fsGroup] : [])];
  if (groups.length > 0) security.supplementalGroups = [...new Set(groups)];
  // The sandbox must be privileged for any of its containers to be.
  if ([...spec.containers, ...(spec.initContainers ?? [])].some((c) => c.securityContext?.privileged)) security.privileged = true;
  const linux: LinuxPodSandboxConfig = { securityContext: security };
  if (ps.sysctls?.length) linux.sysctls = Object.fromEntries(ps.sysctls.map((s) => [s.name, s.value]));
  config.linux = linux;
  return config;
}
