// Defaults of the core/v1 kinds.

import { registerDefaulter } from '../defaults.ts';
import type { KubeObject } from '../meta.ts';
import { defaultPodSpec, defaultPodTemplate, defaultRequestsFromLimits } from './pod-spec.ts';
import { child, items, maybe, ownLabels, setDefault, type Obj } from './util.ts';

const root = (obj: KubeObject): Obj => obj as Obj;

export function defaultPod(obj: KubeObject): void {
  const spec = child(root(obj), 'spec');
  defaultPodSpec(spec);
  defaultRequestsFromLimits(spec);
}

export function defaultService(obj: KubeObject): void {
  const spec = child(root(obj), 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  const type = spec['type'];
  for (const p of items(spec, 'ports')) {
    setDefault(p, 'protocol', 'TCP');
    if (p['targetPort'] === undefined || p['targetPort'] === 0 || p['targetPort'] === '') p['targetPort'] = p['port'];
  }
  if (spec['sessionAffinity'] === 'ClientIP') {
    const cfg = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    setDefault(cfg, 'timeoutSeconds', 10800);
  }
  if (type === 'ExternalName') return;
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (type === 'NodePort' || type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  setDefault(spec, 'ipFamilies', ['IPv4']);
}

export function defaultNamespace(obj: KubeObject): void {
  const name = maybe(root(obj), 'metadata')?.['name'];
  const labels = ownLabels(obj);
  // Kubernetes labels every namespace with its own name, for namespaceSelectors.
  if (typeof name === 'string' && name && labels) labels.set({ ...labels.get(), 'kubernetes.io/metadata.name': name });
  setDefault(child(root(obj), 'spec'), 'finalizers', ['kubernetes']);
  setDefault(child(root(obj), 'status'), 'phase', 'Active');
}

export function defaultNode(obj: KubeObject): void {
  const status = maybe(root(obj), 'status');
  if (status && status['capacity'] !== undefined) setDefault(status, 'allocatable', structuredClone(status['capacity']));
}

export function defaultPersistentVolume(obj: KubeObject): void {
  const spec = child(root(obj), 'spec');
  setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
  setDefault(child(root(obj), 'status'), 'phase', 'Pending');
}

export function defaultPersistentVolumeClaim(obj: KubeObject): void {
  setDefault(child(root(obj), 'spec'), 'volumeMode', 'Filesystem');
  setDefault(child(root(obj), 'status'), 'phase', 'Pending');
}

export function defaultEndpoints(obj: KubeObject): void {
  for (const subset of items(root(obj), 'subsets')) for (const p of items(subset, 'ports')) setDefault(p, 'protocol', 'TCP');
}

export function defaultReplicationController(obj: KubeObject): void {
  const spec = child(root(obj), 'spec');
  setDefault(spec, 'replicas', 1);
  const template = maybe(spec, 'template');
  if (!template) return;
  const labels = maybe(maybe(template, 'metadata') ?? {}, 'labels');
  if (labels && Object.keys(labels).length > 0) {
    if (!maybe(spec, 'selector') || Object.keys(maybe(spec, 'selector') ?? {}).length === 0) spec['selector'] = { ...labels };
    const own = ownLabels(obj);
    if (own && Object.keys(own.get()).length === 0) own.set({ ...(labels as Record<string, string>) });
  }
  defaultPodTemplate(template);
}

export function defaultSecret(obj: KubeObject): void {
  setDefault(root(obj), 'type', 'Opaque');
}

registerDefaulter('Pod', defaultPod);
registerDefaulter('Service', defaultService);
registerDefaulter('Namespace', defaultNamespace);
registerDefaulter('Node', defaultNode);
registerDefaulter('PersistentVolume', defaultPersistentVolume);
registerDefaulter('PersistentVolumeClaim', defaultPersistentVolumeClaim);
registerDefaulter('Endpoints', defaultEndpoints);
registerDefaulter('ReplicationController', defaultReplicationController);
registerDefaulter('Secret', defaultSecret);
