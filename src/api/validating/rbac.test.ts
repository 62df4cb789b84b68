import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type Any } from './test-helpers.ts';

const g = 'rbac.authorization.k8s.io';

test('roles: realistic rules are valid; path-segment names', () => {
  const role: Any = { metadata: { name: 'pod-reader', namespace: 'default' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }] };
  assert.deepEqual(check(`Role.${g}`, role), []);
  const cr: Any = { metadata: { name: 'system:metrics' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] };
  assert.deepEqual(check(`ClusterRole.${g}`, cr), []);
  assert.deepEqual(check(`ClusterRole.${g}`, { metadata: { name: 'a/b' }, rules: [] }), ["metadata.name: Invalid value: \"a/b\": may not contain '/'"]);
});

test('rules need verbs, groups and resources', () => {
  const role: Any = { metadata: { name: 'r', namespace: 'default' }, rules: [{}, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] };
  assert.deepEqual(check(`Role.${g}`, role), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[0].resources: Required value: resource rules must supply at least one resource',
    'rules[1].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
  ]);
});

test('bindings: roleRef and subjects; roleRef immutable', () => {
  const rb: Any = {
    metadata: { name: 'read-pods', namespace: 'default' },
    roleRef: { apiGroup: g, kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  };
  assert.deepEqual(check(`RoleBinding.${g}`, rb), []);
  const crb: Any = { metadata: { name: 'x' }, roleRef: { apiGroup: g, kind: 'Role', name: '' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }, { kind: 'Robot', name: 'r' }] };
  assert.deepEqual(check(`ClusterRoleBinding.${g}`, crb), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].namespace: Required value',
    'subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const changed = structuredClone(rb);
  changed['roleRef'].name = 'admin';
  assert.deepEqual(check(`RoleBinding.${g}`, changed, rb), [`roleRef: Invalid value: {"apiGroup":"${g}","kind":"Role","name":"admin"}: cannot change roleRef`]);
});
