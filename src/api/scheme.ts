// The scheme: for every resource the API serves, its group, version, kind,
// plural, scope, short names, categories and subresources. Discovery, OpenAPI,
// REST routes, storage keys and `skiff kubectl` are all derived from this table.

import { groupKindKey } from './meta.ts';

export type Subresource =
  | 'status'
  | 'scale'
  | 'binding'
  | 'eviction'
  | 'log'
  | 'exec'
  | 'attach'
  | 'portforward'
  | 'proxy'
  | 'ephemeralcontainers'
  | 'token'
  | 'finalize';

export type ResourceInfo = {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: the URL segment. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  subresources: readonly Subresource[];
  /** TypeDef name in the schema, e.g. `io.k8s.api.apps.v1.Deployment`. */
  schema: string;
  /** Field selectors beyond metadata.name/metadata.namespace: selector name → dotted path in the object. */
  fields: Readonly<Record<string, string>>;
  /** Where objects are stored: resources sharing storage (events) name the same prefix. */
  storagePrefix: string;
};

type Spec = {
  group: string;
  kind: string;
  resource: string;
  namespaced?: boolean;
  short?: readonly string[];
  categories?: readonly string[];
  sub?: readonly Subresource[];
  schemaPackage: string;
  fields?: Record<string, string>;
  storagePrefix?: string;
};

function define(s: Spec): ResourceInfo {
  return {
    group: s.group,
    version: 'v1',
    kind: s.kind,
    listKind: `${s.kind}List`,
    resource: s.resource,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced ?? true,
    shortNames: s.short ?? [],
    categories: s.categories ?? [],
    subresources: s.sub ?? [],
    schema: `${s.schemaPackage}.${s.kind}`,
    fields: s.fields ?? {},
    storagePrefix: s.storagePrefix ?? `/registry/${s.group ? `${s.group}/` : ''}${s.resource}/`,
  };
}

const core = 'io.k8s.api.core.v1';
const all = ['all'] as const;

const podFields = {
  'spec.nodeName': 'spec.nodeName',
  'spec.restartPolicy': 'spec.restartPolicy',
  'spec.schedulerName': 'spec.schedulerName',
  'spec.serviceAccountName': 'spec.serviceAccountName',
  'spec.hostNetwork': 'spec.hostNetwork',
  'status.phase': 'status.phase',
  'status.podIP': 'status.podIP',
  'status.nominatedNodeName': 'status.nominatedNodeName',
};

const eventFields = {
  'involvedObject.kind': 'involvedObject.kind',
  'involvedObject.namespace': 'involvedObject.namespace',
  'involvedObject.name': 'involvedObject.name',
  'involvedObject.uid': 'involvedObject.uid',
  'involvedObject.apiVersion': 'involvedObject.apiVersion',
  'involvedObject.resourceVersion': 'involvedObject.resourceVersion',
  'involvedObject.fieldPath': 'involvedObject.fieldPath',
  reason: 'reason',
  reportingComponent: 'reportingComponent',
  source: 'source.component',
  type: 'type',
};

export const resources: readonly ResourceInfo[] = [
  // core/v1
  define({ group: '', kind: 'Namespace', resource: 'namespaces', namespaced: false, short: ['ns'], sub: ['status', 'finalize'], schemaPackage: core, fields: { 'status.phase': 'status.phase' } }),
  define({
    group: '',
    kind: 'Pod',
    resource: 'pods',
    short: ['po'],
    categories: all,
    sub: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'],
    schemaPackage: core,
    fields: podFields,
  }),
  define({ group: '', kind: 'Node', resource: 'nodes', namespaced: false, short: ['no'], sub: ['status', 'proxy'], schemaPackage: core, fields: { 'spec.unschedulable': 'spec.unschedulable' } }),
  define({ group: '', kind: 'Service', resource: 'services', short: ['svc'], categories: all, sub: ['status', 'proxy'], schemaPackage: core }),
  define({ group: '', kind: 'Endpoints', resource: 'endpoints', short: ['ep'], schemaPackage: core }),
  define({ group: '', kind: 'ConfigMap', resource: 'configmaps', short: ['cm'], schemaPackage: core }),
  define({ group: '', kind: 'Secret', resource: 'secrets', schemaPackage: core, fields: { type: 'type' } }),
  define({ group: '', kind: 'ServiceAccount', resource: 'serviceaccounts', short: ['sa'], sub: ['token'], schemaPackage: core }),
  define({ group: '', kind: 'Event', resource: 'events', short: ['ev'], schemaPackage: core, fields: eventFields }),
  define({ group: '', kind: 'ReplicationController', resource: 'replicationcontrollers', short: ['rc'], categories: all, sub: ['scale', 'status'], schemaPackage: core, fields: { 'status.replicas': 'status.replicas' } }),
  define({ group: '', kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false, short: ['pv'], sub: ['status'], schemaPackage: core }),
  define({ group: '', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', short: ['pvc'], sub: ['status'], schemaPackage: core }),
  // apps/v1
  define({ group: 'apps', kind: 'Deployment', resource: 'deployments', short: ['deploy'], categories: all, sub: ['scale', 'status'], schemaPackage: 'io.k8s.api.apps.v1' }),
  define({ group: 'apps', kind: 'ReplicaSet', resource: 'replicasets', short: ['rs'], categories: all, sub: ['scale', 'status'], schemaPackage: 'io.k8s.api.apps.v1', fields: { 'status.replicas': 'status.replicas' } }),
  define({ group: 'apps', kind: 'StatefulSet', resource: 'statefulsets', short: ['sts'], categories: all, sub: ['scale', 'status'], schemaPackage: 'io.k8s.api.apps.v1' }),
  define({ group: 'apps', kind: 'DaemonSet', resource: 'daemonsets', short: ['ds'], categories: all, sub: ['status'], schemaPackage: 'io.k8s.api.apps.v1' }),
  define({ group: 'apps', kind: 'ControllerRevision', resource: 'controllerrevisions', schemaPackage: 'io.k8s.api.apps.v1' }),
  // batch/v1
  define({ group: 'batch', kind: 'Job', resource: 'jobs', categories: all, sub: ['status'], schemaPackage: 'io.k8s.api.batch.v1', fields: { 'status.successful': 'status.succeeded' } }),
  define({ group: 'batch', kind: 'CronJob', resource: 'cronjobs', short: ['cj'], categories: all, sub: ['status'], schemaPackage: 'io.k8s.api.batch.v1' }),
  // coordination.k8s.io/v1
  define({ group: 'coordination.k8s.io', kind: 'Lease', resource: 'leases', schemaPackage: 'io.k8s.api.coordination.v1' }),
  // discovery.k8s.io/v1
  define({ group: 'discovery.k8s.io', kind: 'EndpointSlice', resource: 'endpointslices', schemaPackage: 'io.k8s.api.discovery.v1' }),
  // events.k8s.io/v1: the same objects as core/v1 events, converted on the way in and out.
  define({
    group: 'events.k8s.io',
    kind: 'Event',
    resource: 'events',
    short: ['ev'],
    schemaPackage: 'io.k8s.api.events.v1',
    storagePrefix: '/registry/events/',
    fields: {
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      reason: 'reason',
      reportingController: 'reportingComponent',
      type: 'type',
    },
  }),
  // rbac.authorization.k8s.io/v1
  define({ group: 'rbac.authorization.k8s.io', kind: 'Role', resource: 'roles', schemaPackage: 'io.k8s.api.rbac.v1' }),
  define({ group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', resource: 'rolebindings', schemaPackage: 'io.k8s.api.rbac.v1' }),
  define({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, schemaPackage: 'io.k8s.api.rbac.v1' }),
  define({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', namespaced: false, schemaPackage: 'io.k8s.api.rbac.v1' }),
  // scheduling.k8s.io/v1
  define({ group: 'scheduling.k8s.io', kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, short: ['pc'], schemaPackage: 'io.k8s.api.scheduling.v1' }),
  // policy/v1
  define({ group: 'policy', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', short: ['pdb'], sub: ['status'], schemaPackage: 'io.k8s.api.policy.v1' }),
  // storage.k8s.io/v1
  define({ group: 'storage.k8s.io', kind: 'StorageClass', resource: 'storageclasses', namespaced: false, short: ['sc'], schemaPackage: 'io.k8s.api.storage.v1' }),
];

const byGroupResource = new Map(resources.map((r) => [`${r.group}/${r.resource}`, r]));
const byGroupKind = new Map(resources.map((r) => [groupKindKey(r.group, r.kind), r]));

export function resourceFor(group: string, version: string, resource: string): ResourceInfo | undefined {
  const r = byGroupResource.get(`${group}/${resource}`);
  return r && r.version === version ? r : undefined;
}

export function resourceForKind(group: string, kind: string): ResourceInfo | undefined {
  return byGroupKind.get(groupKindKey(group, kind));
}

/** Groups in the order discovery lists them (core first). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Set<string>();
  const out: { group: string; version: string }[] = [];
  for (const r of resources) {
    const k = `${r.group}/${r.version}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ group: r.group, version: r.version });
    }
  }
  return out;
}

/** Storage key of one object, e.g. `/registry/apps/deployments/default/web`. */
export function storageKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${r.storagePrefix}${namespace}/${name}` : `${r.storagePrefix}${name}`;
}

/** Prefix for a list: all namespaces, or one. */
export function storagePrefixFor(r: ResourceInfo, namespace: string | undefined): string {
  return r.namespaced && namespace ? `${r.storagePrefix}${namespace}/` : r.storagePrefix;
}
