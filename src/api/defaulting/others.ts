// Defaults of the smaller groups: discovery, rbac, scheduling, storage.

import { registerDefaulter } from '../defaults.ts';
import type { KubeObject } from '../meta.ts';
import { items, setDefault, type Obj } from './util.ts';

export function defaultEndpointSlice(obj: KubeObject): void {
  for (const p of items(obj as Obj, 'ports')) {
    setDefault(p, 'name', '');
    setDefault(p, 'protocol', 'TCP');
  }
}

export function defaultPriorityClass(obj: KubeObject): void {
  setDefault(obj as Obj, 'preemptionPolicy', 'PreemptLowerPriority');
}

export function defaultStorageClass(obj: KubeObject): void {
  setDefault(obj as Obj, 'reclaimPolicy', 'Delete');
  setDefault(obj as Obj, 'volumeBindingMode', 'Immediate');
}

/** Users and groups are RBAC subjects; service accounts live in the core group. */
export function defaultBindingSubjects(obj: KubeObject): void {
  for (const s of items(obj as Obj, 'subjects')) {
    if (s['kind'] === 'User' || s['kind'] === 'Group') setDefault(s, 'apiGroup', 'rbac.authorization.k8s.io');
  }
}

registerDefaulter('EndpointSlice.discovery.k8s.io', defaultEndpointSlice);
registerDefaulter('PriorityClass.scheduling.k8s.io', defaultPriorityClass);
registerDefaulter('StorageClass.storage.k8s.io', defaultStorageClass);
registerDefaulter('RoleBinding.rbac.authorization.k8s.io', defaultBindingSubjects);
registerDefaulter('ClusterRoleBinding.rbac.authorization.k8s.io', defaultBindingSubjects);
