// The Endpoints object a Service should have: ready pods as addresses, the
// rest as notReadyAddresses (all as addresses with publishNotReadyAddresses),
// grouped into subsets by the ports they resolve.

import { selectorFromSet } from '../../machinery/labels.ts';
import { endpointPortsFor, isHeadless, isPodReady, isPodTerminal, podIP, portsKey } from './pod-addresses.ts';
import { headlessLabel, type EndpointAddress, type EndpointPort, type Endpoints, type EndpointSubset, type Pod, type Service } from './types.ts';

export function desiredEndpoints(svc: Service, pods: readonly Pod[]): Endpoints {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const selector = selectorFromSet(svc.spec?.selector);
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const noPorts = (svc.spec?.ports ?? []).length === 0;
  for (const pod of pods) {
    if (pod.metadata.namespace !== svc.metadata.namespace || !selector.matches(pod.metadata.labels)) continue;
    const ip = podIP(pod);
    if (!ip || isPodTerminal(pod)) continue;
    if (pod.metadata.deletionTimestamp && !publishNotReady) continue;
    const ports = endpointPortsFor(svc, pod);
    // A pod that resolves none of the service's ports serves nothing (headless without ports excepted).
    if (ports.length === 0 && !noPorts) continue;
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    const addr = addressOf(svc, pod, ip);
    if (publishNotReady || isPodReady(pod)) g.ready.push(addr);
    else g.notReady.push(addr);
  }
  const subsets: EndpointSubset[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    const subset: EndpointSubset = {};
    if (g.ready.length > 0) subset.addresses = g.ready.sort(byIP);
    if (g.notReady.length > 0) subset.notReadyAddresses = g.notReady.sort(byIP);
    if (g.ports.length > 0) subset.ports = g.ports;
    subsets.push(subset);
  }
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[headlessLabel] = '';
  const ep: Endpoints = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name!, namespace: svc.metadata.namespace! },
  };
  if (Object.keys(labels).length > 0) ep.metadata.labels = labels;
  if (subsets.length > 0) ep.subsets = subsets;
  return ep;
}

function addressOf(svc: Service, pod: Pod, ip: string): EndpointAddress {
  const addr: EndpointAddress = {
    ip,
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! },
  };
  if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  // Pods of a headless service's subdomain are addressable by hostname (StatefulSets).
  if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata.name) addr.hostname = pod.spec.hostname;
  return addr;
}

function byIP(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip.localeCompare(b.ip, 'en', { numeric: true }) || a.targetRef.name.localeCompare(b.targetRef.name);
}
