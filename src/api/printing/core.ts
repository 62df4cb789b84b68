// Tables for core/v1 kinds, as `kubectl get` shows them from a Kubernetes server.

import { groupKindKey, type KubeObject } from '../meta.ts';
import { registerPrinter, type Printer } from '../printers.ts';
import { parseQuantity } from '../../machinery/quantity.ts';
import {
  age,
  ageColumn,
  arr,
  column,
  containerCells,
  containersColumn,
  formatLabels,
  imagesColumn,
  int,
  nameColumn,
  nameOf,
  rec,
  spec,
  status,
  str,
  strs,
} from './common.ts';
import { podPrinter } from './pod.ts';
import { eventPrinter } from './events.ts';

/** Quantity as Kubernetes serialises it (canonical); "0" when absent, the raw text when unparsable. */
export function quantityString(v: unknown): string {
  if (v === undefined || v === null || v === '') return '0';
  try {
    return parseQuantity(v as string | number).toString();
  } catch {
    return str(v);
  }
}

// --- Node ---

const nodeRolePrefix = 'node-role.kubernetes.io/';

export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(nodeRolePrefix) && k.length > nodeRolePrefix.length) roles.add(k.slice(nodeRolePrefix.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

export function nodeStatus(node: KubeObject): string {
  const ready = arr(status(node).conditions).find((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (spec(node).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeAddress(node: KubeObject, type: string): string {
  return str(arr(status(node).addresses).find((a) => a.type === type)?.address) || '<none>';
}

const nodePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'The status of the node'),
    column('Roles', 'The roles of the node'),
    ageColumn(),
    column('Version', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'List of addresses reachable to the node.', 'string', 1),
    column('External-IP', 'List of addresses reachable to the node.', 'string', 1),
    column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 'string', 1),
    column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 'string', 1),
    column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 'string', 1),
  ],
  cells(node, now) {
    const info = rec(status(node).nodeInfo);
    return [
      nameOf(node),
      nodeStatus(node),
      nodeRoles(node),
      age(node, now),
      str(info.kubeletVersion),
      nodeAddress(node, 'InternalIP'),
      nodeAddress(node, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

// --- Service ---

export function servicePorts(svc: KubeObject): string {
  const ports = arr(spec(svc).ports).map((p) => {
    const proto = str(p.protocol) || 'TCP';
    return int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${proto}` : `${int(p.port)}/${proto}`;
  });
  return ports.length === 0 ? '<none>' : ports.join(',');
}

export function serviceExternalIP(svc: KubeObject): string {
  const sp = spec(svc);
  const externalIPs = strs(sp.externalIPs);
  switch (str(sp.type) || 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = arr(rec(status(svc).loadBalancer).ingress);
      const lb = [...new Set(ingress.map((i) => str(i.ip) || str(i.hostname)).filter((x) => x !== ''))].sort();
      if (externalIPs.length > 0) return [...lb, ...externalIPs].join(',');
      return lb.length > 0 ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(sp.externalName);
    default:
      return '<unknown>';
  }
}

const servicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('Type', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'Route service traffic to pods with label keys and values matching this selector.', 'string', 1),
  ],
  cells(svc, now) {
    const sp = spec(svc);
    const clusterIP = strs(sp.clusterIPs)[0] ?? (str(sp.clusterIP) || '<none>');
    return [nameOf(svc), str(sp.type), clusterIP, serviceExternalIP(svc), servicePorts(svc), age(svc, now), formatLabels(sp.selector)];
  },
};

// --- Endpoints ---

export function formatEndpoints(ep: KubeObject): string {
  const subsets = arr(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const addresses = arr(ss.addresses);
    const ports = arr(ss.ports);
    // Headless services may have addresses without ports.
    const perPort = ports.length === 0 ? [undefined] : ports.map((p) => int(p.port));
    for (const port of perPort) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) break;
        const ip = str(a.ip);
        list.push(port === undefined ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
      }
    }
  }
  return count > max ? `${list.join(',')} + ${count - max} more...` : list.join(',');
}

// --- Persistent volumes ---

const accessModeAbbrev: readonly [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

export function accessModesString(modes: unknown): string {
  const have = new Set(strs(modes));
  return accessModeAbbrev.filter(([m]) => have.has(m)).map(([, a]) => a).join(',');
}

function storageClassOf(o: KubeObject): string {
  return o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? str(spec(o).storageClassName);
}

const pvPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Capacity', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pv'),
    column('Reason', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    column('VolumeMode', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 'string', 1),
  ],
  cells(pv, now) {
    const sp = spec(pv);
    const claim = sp.claimRef ? `${str(rec(sp.claimRef).namespace)}/${str(rec(sp.claimRef).name)}` : '';
    const phase = pv.metadata.deletionTimestamp ? 'Terminating' : str(status(pv).phase);
    return [
      nameOf(pv),
      quantityString(rec(sp.capacity).storage),
      accessModesString(sp.accessModes),
      str(sp.persistentVolumeReclaimPolicy),
      phase,
      claim,
      storageClassOf(pv),
      str(sp.volumeAttributesClassName) || '<unset>',
      str(status(pv).reason),
      age(pv, now),
      str(sp.volumeMode) || '<unset>',
    ];
  },
};

const pvcPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    column('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', 'string', 1),
  ],
  cells(pvc, now) {
    const sp = spec(pvc);
    const st = status(pvc);
    const bound = str(sp.volumeName) !== '';
    return [
      nameOf(pvc),
      pvc.metadata.deletionTimestamp ? 'Terminating' : str(st.phase),
      str(sp.volumeName),
      bound ? quantityString(rec(st.capacity).storage) : '',
      bound ? accessModesString(st.accessModes) : '',
      storageClassOf(pvc),
      str(sp.volumeAttributesClassName) || '<unset>',
      age(pvc, now),
      str(sp.volumeMode) || '<unset>',
    ];
  },
};

// --- the simple ones ---

const namespacePrinter: Printer = {
  columns: [nameColumn(), column('Status', 'The status of the namespace'), ageColumn()],
  cells: (ns, now) => [nameOf(ns), str(status(ns).phase), age(ns, now)],
};

const configMapPrinter: Printer = {
  columns: [nameColumn(), column('Data', 'Data contains the configuration data.'), ageColumn()],
  cells: (cm, now) => [nameOf(cm), Object.keys(rec(cm.data)).length + Object.keys(rec(cm.binaryData)).length, age(cm, now)],
};

const secretPrinter: Printer = {
  columns: [nameColumn(), column('Type', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'Data contains the secret data.'), ageColumn()],
  cells: (s, now) => [nameOf(s), str(s.type), Object.keys(rec(s.data)).length, age(s, now)],
};

const serviceAccountPrinter: Printer = {
  columns: [nameColumn(), column('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn()],
  cells: (sa, now) => [nameOf(sa), arr(sa.secrets).length, age(sa, now)],
};

const endpointsPrinter: Printer = {
  columns: [nameColumn(), column('Endpoints', 'The set of all endpoints is the union of all subsets.'), ageColumn()],
  cells: (ep, now) => [nameOf(ep), formatEndpoints(ep), age(ep, now)],
};

const replicationControllerPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'Replicas is the number of desired replicas.', 'integer'),
    column('Current', 'Replicas is the most recently observed number of replicas.', 'integer'),
    column('Ready', 'The number of ready replicas for this replication controller.', 'integer'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'Selector is a label query over pods that should match the Replicas count.', 'string', 1),
  ],
  cells(rc, now) {
    const sp = spec(rc);
    const st = status(rc);
    const [names, images] = containerCells(rec(rec(sp.template).spec));
    return [nameOf(rc), sp.replicas === undefined ? 1 : int(sp.replicas), int(st.replicas), int(st.readyReplicas), age(rc, now), names, images, formatLabels(sp.selector)];
  },
};

const core: Record<string, Printer> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Event: eventPrinter,
  ReplicationController: replicationControllerPrinter,
  PersistentVolume: pvPrinter,
  PersistentVolumeClaim: pvcPrinter,
};

for (const [kind, p] of Object.entries(core)) registerPrinter(groupKindKey('', kind), p);
