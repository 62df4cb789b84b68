// Pod spec defaults, shared by Pods and every pod template (SetDefaults_PodSpec,
// SetDefaults_Container and friends).

import { getKey, setKey } from '../../machinery/own-keys.ts';
import { child, items, maybe, setDefault, type Obj } from './util.ts';

export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'enableServiceLinks', true);
  const hostNetwork = spec['hostNetwork'] === true;
  for (const c of [...items(spec, 'initContainers'), ...items(spec, 'containers'), ...items(spec, 'ephemeralContainers')]) {
    defaultContainer(c, hostNetwork);
  }
  for (const v of items(spec, 'volumes')) defaultVolume(v);
}

export function defaultPodTemplate(template: Obj): void {
  defaultPodSpec(child(template, 'spec'));
}

function defaultContainer(c: Obj, hostNetwork: boolean): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c['imagePullPolicy'] === undefined && typeof c['image'] === 'string') c['imagePullPolicy'] = pullPolicyFor(c['image']);
  setDefault(c, 'resources', {});
  for (const p of items(c, 'ports')) {
    setDefault(p, 'protocol', 'TCP');
    // With the host network, the container port is the host port.
    if (hostNetwork && p['hostPort'] === undefined) p['hostPort'] = p['containerPort'];
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = maybe(c, probe);
    if (p) defaultProbe(p);
  }
  for (const hook of ['postStart', 'preStop']) {
    const h = maybe(maybe(c, 'lifecycle') ?? {}, hook);
    const http = h && maybe(h, 'httpGet');
    if (http) setDefault(http, 'scheme', 'HTTP');
  }
  for (const e of items(c, 'env')) {
    const fieldRef = maybe(maybe(e, 'valueFrom') ?? {}, 'fieldRef');
    if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
  }
}

/** `:latest` or no tag means the image may change: always pull. Digests never change. */
export function pullPolicyFor(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Obj): void {
  setDefault(p, 'timeoutSeconds', 1);
  setDefault(p, 'periodSeconds', 10);
  setDefault(p, 'successThreshold', 1);
  setDefault(p, 'failureThreshold', 3);
  const http = maybe(p, 'httpGet');
  if (http) setDefault(http, 'scheme', 'HTTP');
  const grpc = maybe(p, 'grpc');
  if (grpc) setDefault(grpc, 'service', '');
}

export const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume',
  'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

function defaultVolume(v: Obj): void {
  if (!volumeSources.some((s) => v[s] !== undefined)) v['emptyDir'] = {};
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = maybe(v, s);
    if (src) setDefault(src, 'defaultMode', 420);
  }
  const hostPath = maybe(v, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  const downward = [maybe(v, 'downwardAPI'), ...items(maybe(v, 'projected'), 'sources').map((s) => maybe(s, 'downwardAPI'))];
  for (const d of downward) {
    for (const item of items(d, 'items')) {
      const fieldRef = maybe(item, 'fieldRef');
      if (fieldRef) setDefault(fieldRef, 'apiVersion', 'v1');
    }
  }
  const ephemeral = maybe(maybe(v, 'ephemeral') ?? {}, 'volumeClaimTemplate');
  const claimSpec = ephemeral && maybe(ephemeral, 'spec');
  if (claimSpec) setDefault(claimSpec, 'volumeMode', 'Filesystem');
}

/** Pods (not templates): limits stand in for absent requests (SetDefaults_Pod). */
export function defaultRequestsFromLimits(spec: Obj): void {
  for (const c of [...items(spec, 'initContainers'), ...items(spec, 'containers')]) {
    const resources = maybe(c, 'resources');
    const limits = resources && maybe(resources, 'limits');
    if (!resources || !limits) continue;
    const requests = child(resources, 'requests');
    for (const [k, v] of Object.entries(limits)) if (getKey(requests, k) === undefined) setKey(requests, k, v);
  }
}
