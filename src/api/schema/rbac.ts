// rbac.authorization.k8s.io/v1: Role, ClusterRole and their bindings.
// Proto tags follow k8s.io/api/rbac/v1/generated.proto (v1.32).

import { array, field, gvk, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { FieldDef, TypeDef } from './types.ts';

const rbac = (name: string): string => `io.k8s.api.rbac.v1.${name}`;
const group = 'rbac.authorization.k8s.io';

function head(what: string): FieldDef[] {
  return [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), `Standard metadata of the ${what}.`),
  ];
}

const rules = (what: string): FieldDef =>
  field('rules', 2, array(ref(rbac('PolicyRule'))), `Permissions granted by this ${what}.`, { listType: 'atomic' });

const subjects = field('subjects', 2, array(ref(rbac('Subject'))), 'Users, groups and service accounts the role is granted to.', { listType: 'atomic' });

const roleRef = (what: string): FieldDef =>
  field('roleRef', 3, ref(rbac('RoleRef')), `${what} granted by this binding; cannot be changed.`, { required: true });

export const rbacTypes: readonly TypeDef[] = [
  type(rbac('Role'), 'A namespaced set of permissions.', [...head('role'), rules('role')], { gvk: gvk(group, 'v1', 'Role') }),
  type(rbac('ClusterRole'), 'A cluster-wide set of permissions, usable by bindings in any namespace.', [
    ...head('cluster role'),
    rules('cluster role'),
    field('aggregationRule', 3, ref(rbac('AggregationRule')), 'Builds the rules from other cluster roles; rules are then controller-managed.'),
  ], { gvk: gvk(group, 'v1', 'ClusterRole') }),
  type(rbac('RoleBinding'), 'Grants a Role or ClusterRole to subjects within one namespace.', [
    ...head('role binding'),
    subjects,
    roleRef('Role or ClusterRole'),
  ], { gvk: gvk(group, 'v1', 'RoleBinding') }),
  type(rbac('ClusterRoleBinding'), 'Grants a ClusterRole to subjects across the whole cluster.', [
    ...head('cluster role binding'),
    subjects,
    roleRef('ClusterRole'),
  ], { gvk: gvk(group, 'v1', 'ClusterRoleBinding') }),
  type(rbac('PolicyRule'), 'Verbs allowed on a set of resources or non-resource URLs.', [
    field('verbs', 1, array(string), "Allowed verbs such as get or list; '*' means all.", { required: true, listType: 'atomic' }),
    field('apiGroups', 2, array(string), `API groups of the resources; "" is the core group, '*' all groups.`, { listType: 'atomic' }),
    field('resources', 3, array(string), "Resources the rule covers; '*' means all.", { listType: 'atomic' }),
    field('resourceNames', 4, array(string), 'Object names the rule is limited to; empty means any.', { listType: 'atomic' }),
    field('nonResourceURLs', 5, array(string), 'URL paths (not resources) the rule covers; only meaningful in cluster roles.', { listType: 'atomic' }),
  ]),
  type(rbac('AggregationRule'), 'Selects the cluster roles whose rules are combined into this one.', [
    field('clusterRoleSelectors', 1, array(ref(meta('LabelSelector'))), 'Cluster roles matching any of these selectors contribute their rules.', { listType: 'atomic' }),
  ]),
  type(rbac('Subject'), 'A user, group or service account a role is granted to.', [
    field('kind', 1, string, 'User, Group or ServiceAccount.', { required: true }),
    field('apiGroup', 2, string, 'API group of the subject; defaults per kind.'),
    field('name', 3, string, 'Name of the subject.', { required: true }),
    field('namespace', 4, string, 'Namespace of a ServiceAccount subject.'),
  ], { atomic: true }),
  type(rbac('RoleRef'), 'Points at the role a binding grants.', [
    field('apiGroup', 1, string, 'API group of the role, rbac.authorization.k8s.io.'),
    field('kind', 2, string, 'Role or ClusterRole.', { required: true }),
    field('name', 3, string, 'Name of the role.', { required: true }),
  ], { atomic: true }),
];

registerTypes(rbacTypes);
