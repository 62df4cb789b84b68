// Where a pod's logs/exec/attach/portforward request goes: the kubelet of
// the pod's node (Node InternalIP + daemonEndpoints port) and the container
// meant when the client named none.

import type { KubeObject } from '../../api/meta.ts';
import { badRequest, serviceUnavailable } from '../../machinery/status.ts';
import type { Registry } from '../registry/registry.ts';

export type KubeletAddress = { nodeName: string; host: string; port: number };

type NodeStatus = { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
type PodSpec = { nodeName?: string; containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };

/** The kubelet of a node, from its status; a Status error when the node cannot be reached. */
export async function kubeletAddress(registry: Registry, nodeName: string): Promise<KubeletAddress> {
  const node = await registry.mustStore('', 'nodes').get(undefined, nodeName);
  const status = (node.status ?? {}) as NodeStatus;
  const addresses = status.addresses ?? [];
  const host = (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'Hostname'))?.address;
  const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!host || !port) {
    throw serviceUnavailable(
      `node "${nodeName}" publishes no kubelet address (status.addresses InternalIP and status.daemonEndpoints.kubeletEndpoint.Port): is its agent running?`,
    );
  }
  return { nodeName, host, port };
}

/** The pod and its node's kubelet; 400 when the pod is not scheduled yet, as Kubernetes answers. */
export async function podKubelet(registry: Registry, namespace: string, name: string): Promise<{ pod: KubeObject; kubelet: KubeletAddress }> {
  const pod = await registry.mustStore('', 'pods').get(namespace, name);
  const nodeName = (pod.spec as PodSpec | undefined)?.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  return { pod, kubelet: await kubeletAddress(registry, nodeName) };
}

/** The container a request names, or the pod's only one; errors as the API server words them. */
export function podContainer(pod: KubeObject, requested: string | null): string {
  const spec = (pod.spec ?? {}) as PodSpec;
  const name = pod.metadata.name ?? '';
  const regular = (spec.containers ?? []).map((c) => c.name);
  const init = (spec.initContainers ?? []).map((c) => c.name);
  const ephemeral = (spec.ephemeralContainers ?? []).map((c) => c.name);
  if (requested) {
    if ([...regular, ...init, ...ephemeral].includes(requested)) return requested;
    throw badRequest(`container ${requested} is not valid for pod ${name}`);
  }
  if (regular.length === 1) return regular[0]!;
  let message = `a container name must be specified for pod ${name}, choose one of: [${regular.join(' ')}]`;
  if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw badRequest(message);
}

export function hostPort(k: KubeletAddress): string {
  return k.host.includes(':') ? `[${k.host}]:${k.port}` : `${k.host}:${k.port}`;
}
