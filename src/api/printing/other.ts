// Tables for the smaller groups: coordination, discovery, events.k8s.io, rbac,
// scheduling, policy and storage.

import { groupKindKey, type KubeObject } from '../meta.ts';
import { registerPrinter, type Printer } from '../printers.ts';
import { age, ageColumn, arr, column, int, listWithMore, nameColumn, nameOf, rec, spec, status, str, strs } from './common.ts';
import { defaultPrinter } from './default.ts';
import { eventsV1Printer } from './events.ts';

const leasePrinter: Printer = {
  columns: [nameColumn(), column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells: (l, now) => [nameOf(l), str(spec(l).holderIdentity), age(l, now)],
};

export function discoveryPorts(slice: KubeObject): string {
  return listWithMore(arr(slice.ports).map((p) => (typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*')));
}

export function discoveryEndpoints(slice: KubeObject): string {
  return listWithMore(arr(slice.endpoints).flatMap((e) => strs(e.addresses)));
}

const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn(),
    column('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  cells: (s, now) => [nameOf(s), str(s.addressType), discoveryPorts(s), discoveryEndpoints(s), age(s, now)],
};

/** Users, groups and service accounts (`ns/name`) named in a binding. */
export function subjectsStrings(binding: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of arr(binding.subjects)) {
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') sas.push(`${str(s.namespace)}/${str(s.name)}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingPrinter(what: string): Printer {
  return {
    columns: [
      nameColumn(),
      column('Role', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
      ageColumn(),
      column('Users', `Users in the ${what}`, 'string', 1),
      column('Groups', `Groups in the ${what}`, 'string', 1),
      column('ServiceAccounts', `ServiceAccounts in the ${what}`, 'string', 1),
    ],
    cells(b, now) {
      const ref = rec(b.roleRef);
      return [nameOf(b), `${str(ref.kind)}/${str(ref.name)}`, age(b, now), ...subjectsStrings(b)];
    },
  };
}

const priorityClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Value', 'value represents the integer value of this priority class.', 'integer'),
    column('Global-Default', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.', 'boolean'),
    ageColumn(),
    column('PreemptionPolicy', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  cells: (pc, now) => [nameOf(pc), int(pc.value), pc.globalDefault === true, age(pc, now), str(pc.preemptionPolicy)],
};

function intOrStringText(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : str(v);
}

const pdbPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Min Available', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', 'integer'),
    ageColumn(),
  ],
  cells: (pdb, now) => [nameOf(pdb), intOrStringText(spec(pdb).minAvailable), intOrStringText(spec(pdb).maxUnavailable), int(status(pdb).disruptionsAllowed), age(pdb, now)],
};

export function isDefaultStorageClass(sc: KubeObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

const storageClassPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Provisioner', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  cells: (sc, now) => [
    isDefaultStorageClass(sc) ? `${nameOf(sc)} (default)` : nameOf(sc),
    str(sc.provisioner),
    str(sc.reclaimPolicy) || 'Delete',
    str(sc.volumeBindingMode) || 'Immediate',
    sc.allowVolumeExpansion === true,
    age(sc, now),
  ],
};

const rbac = 'rbac.authorization.k8s.io';
registerPrinter(groupKindKey('coordination.k8s.io', 'Lease'), leasePrinter);
registerPrinter(groupKindKey('discovery.k8s.io', 'EndpointSlice'), endpointSlicePrinter);
registerPrinter(groupKindKey('events.k8s.io', 'Event'), eventsV1Printer);
registerPrinter(groupKindKey(rbac, 'Role'), defaultPrinter);
registerPrinter(groupKindKey(rbac, 'ClusterRole'), defaultPrinter);
registerPrinter(groupKindKey(rbac, 'RoleBinding'), bindingPrinter('roleBinding'));
registerPrinter(groupKindKey(rbac, 'ClusterRoleBinding'), bindingPrinter('clusterRoleBinding'));
registerPrinter(groupKindKey('scheduling.k8s.io', 'PriorityClass'), priorityClassPrinter);
registerPrinter(groupKindKey('policy', 'PodDisruptionBudget'), pdbPrinter);
registerPrinter(groupKindKey('storage.k8s.io', 'StorageClass'), storageClassPrinter);
