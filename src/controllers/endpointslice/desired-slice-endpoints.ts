// The endpoints a Service's slices should hold: one per matching pod with an
// IP, grouped by the ports the pod resolves and the address family.

import { selectorFromSet } from '../../machinery/labels.ts';
import { endpointPortsFor, isPodReady, isPodTerminal, podIP, portsKey } from '../endpoint/pod-addresses.ts';
import type { EndpointPort, Pod, Service } from '../endpoint/types.ts';
import type { SliceEndpoint } from './types.ts';

export type EndpointGroup = { key: string; addressType: 'IPv4' | 'IPv6'; ports: EndpointPort[]; endpoints: SliceEndpoint[] };

export const zoneLabel = 'topology.kubernetes.io/zone';

/** `zoneOf(nodeName)` gives the node's zone label, when known. */
export function desiredSliceEndpoints(svc: Service, pods: readonly Pod[], zoneOf: (node: string) => string | undefined): EndpointGroup[] {
  const selector = selectorFromSet(svc.spec?.selector);
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const noPorts = (svc.spec?.ports ?? []).length === 0;
  const groups = new Map<string, EndpointGroup>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== svc.metadata.namespace || !selector.matches(pod.metadata.labels)) continue;
    const ip = podIP(pod);
    if (!ip || isPodTerminal(pod)) continue;
    const ports = endpointPortsFor(svc, pod);
    if (ports.length === 0 && !noPorts) continue;
    const addressType = ip.includes(':') ? 'IPv6' : 'IPv4';
    const key = groupKey(addressType, ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, addressType, ports, endpoints: [] }));
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const serving = publishNotReady || isPodReady(pod);
    const ep: SliceEndpoint = {
      addresses: [ip],
      conditions: { ready: serving && (!terminating || publishNotReady), serving, terminating },
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
    };
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name) ep.hostname = pod.spec.hostname;
    const node = pod.spec?.nodeName;
    if (node) {
      ep.nodeName = node;
      const zone = zoneOf(node);
      if (zone) ep.zone = zone;
    }
    g.endpoints.push(ep);
  }
  return [...groups.values()];
}

export function groupKey(addressType: string, ports: readonly EndpointPort[] | null | undefined): string {
  return `${addressType}|${portsKey(ports ?? [])}`;
}
